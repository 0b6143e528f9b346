package samples

import (
	"fmt"
	"strings"
)

// RenderText writes r as plain text, the way people paste a resume into a
// form: headings in capitals underlined, bullets as hyphens.
func RenderText(r Resume) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s\n%s\n", r.Name, r.Headline, strings.Join(r.Contact, " | "))
	heading := func(h string) {
		fmt.Fprintf(&b, "\n%s\n%s\n", strings.ToUpper(h), strings.Repeat("=", len(h)))
	}
	if r.Summary != "" {
		heading("Summary")
		fmt.Fprintln(&b, r.Summary)
	}
	heading("Professional Experience")
	for i, j := range r.Jobs {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s, %s", j.Title, j.Org)
		if j.Place != "" {
			fmt.Fprintf(&b, ", %s", j.Place)
		}
		fmt.Fprintf(&b, "\t%s\n", j.Dates)
		for _, bl := range j.Bullets {
			fmt.Fprintf(&b, "- %s\n", bl)
		}
	}
	heading("Education")
	for _, s := range r.Schools {
		fmt.Fprintf(&b, "%s, %s, %s\n", s.Degree, s.School, s.Year)
	}
	if len(r.Certs) > 0 {
		heading("Certifications")
		for _, c := range r.Certs {
			fmt.Fprintf(&b, "- %s\n", c)
		}
	}
	if len(r.Skills) > 0 {
		heading("Skills")
		fmt.Fprintln(&b, strings.Join(r.Skills, ", "))
	}
	for _, s := range r.Extra {
		heading(s.Heading)
		for _, l := range s.Lines {
			fmt.Fprintln(&b, l)
		}
	}
	return []byte(b.String())
}

// RenderMarkdown writes r as Markdown, as resume-as-code repositories do.
func RenderMarkdown(r Resume) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n**%s**\n\n", r.Name, r.Headline)
	var contact []string
	for _, c := range r.Contact {
		if strings.HasPrefix(c, "http") || strings.Contains(c, ".com/") {
			contact = append(contact, fmt.Sprintf("[%s](%s)", strings.TrimPrefix(c, "https://"), c))
		} else {
			contact = append(contact, c)
		}
	}
	fmt.Fprintf(&b, "%s\n", strings.Join(contact, " · "))
	if r.Summary != "" {
		fmt.Fprintf(&b, "\n## Summary\n\n%s\n", r.Summary)
	}
	fmt.Fprintf(&b, "\n## Experience\n")
	for _, j := range r.Jobs {
		fmt.Fprintf(&b, "\n### %s — %s\n\n*%s*", j.Title, j.Org, j.Dates)
		if j.Place != "" {
			fmt.Fprintf(&b, " · %s", j.Place)
		}
		b.WriteString("\n\n")
		for _, bl := range j.Bullets {
			fmt.Fprintf(&b, "- %s\n", bl)
		}
	}
	fmt.Fprintf(&b, "\n## Education\n\n")
	for _, s := range r.Schools {
		fmt.Fprintf(&b, "- **%s**, %s, %s\n", s.Degree, s.School, s.Year)
	}
	if len(r.Certs) > 0 {
		fmt.Fprintf(&b, "\n## Certifications\n\n")
		for _, c := range r.Certs {
			fmt.Fprintf(&b, "- %s\n", c)
		}
	}
	if len(r.Skills) > 0 {
		fmt.Fprintf(&b, "\n## Skills\n\n%s\n", strings.Join(r.Skills, ", "))
	}
	for _, s := range r.Extra {
		fmt.Fprintf(&b, "\n## %s\n\n", s.Heading)
		for _, l := range s.Lines {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	return []byte(b.String())
}
