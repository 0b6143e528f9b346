package main

import (
	"fmt"
	"io"
	"strings"

	"sift/parser"
)

// writeSummary prints a Resume for a person to read.
func writeSummary(w io.Writer, r *parser.Resume, withText bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.File)
	pages := ""
	if r.Pages > 0 {
		pages = fmt.Sprintf(", %d page%s", r.Pages, plural(r.Pages))
	}
	format := string(r.Format)
	if format == "" {
		format = "unknown format"
	}
	fmt.Fprintf(&b, "  %s%s, %s\n", format, pages, r.Status)
	if r.Error != "" {
		fmt.Fprintf(&b, "  error: %s\n", r.Error)
	}
	if r.Status == parser.StatusOK {
		c := r.Contact
		var contact []string
		if c.Name != "" {
			contact = append(contact, c.Name)
		}
		contact = append(contact, c.Emails...)
		contact = append(contact, c.Phones...)
		contact = append(contact, c.Links...)
		if len(contact) > 0 {
			fmt.Fprintf(&b, "  contact:        %s\n", strings.Join(contact, " · "))
		}
		var kinds []string
		for _, s := range r.Sections {
			k := string(s.Kind)
			if s.Kind != parser.KindHeader && s.Heading != "" {
				k = fmt.Sprintf("%s (%q)", s.Kind, s.Heading)
			}
			kinds = append(kinds, k)
		}
		if len(kinds) > 0 {
			fmt.Fprintf(&b, "  sections:       %s\n", strings.Join(kinds, ", "))
		}
		fmt.Fprintf(&b, "  experience:     %s in %d position%s\n", formatMonths(r.ExperienceMonths), len(r.Positions), plural(len(r.Positions)))
		for _, p := range r.Positions {
			end := "present"
			if p.End != nil {
				end = p.End.String()
			}
			who := p.Title
			if p.Organization != "" {
				if who != "" {
					who += ", "
				}
				who += p.Organization
			}
			fmt.Fprintf(&b, "    %s – %-7s  %-60s %s\n", p.Start, end, who, formatMonths(p.Months))
		}
		if len(r.Education) > 0 {
			fmt.Fprintf(&b, "  education:\n")
			for _, e := range r.Education {
				parts := []string{nonEmpty(e.Level, "(level unknown)")}
				for _, s := range []string{e.Degree, e.Field, e.Institution} {
					if s != "" {
						parts = append(parts, s)
					}
				}
				if e.Year > 0 {
					parts = append(parts, fmt.Sprint(e.Year))
				}
				if e.InProgress {
					parts = append(parts, "in progress")
				}
				fmt.Fprintf(&b, "    %s\n", strings.Join(parts, ", "))
			}
		}
		if len(r.Certifications) > 0 {
			fmt.Fprintf(&b, "  certifications: %s\n", strings.Join(r.Certifications, ", "))
		}
	}
	if len(r.HiddenText) > 0 {
		chars := 0
		reasons := map[string]int{}
		var order []string
		for _, h := range r.HiddenText {
			chars += len([]rune(h.Text))
			if reasons[h.Reason] == 0 {
				order = append(order, h.Reason)
			}
			reasons[h.Reason]++
		}
		fmt.Fprintf(&b, "  hidden text:    %d characters in %d run%s (%s), not matched\n", chars, len(r.HiddenText), plural(len(r.HiddenText)), strings.Join(order, ", "))
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(&b, "  warning: %s\n", warn)
	}
	if withText && r.Text != "" {
		fmt.Fprintf(&b, "  text:\n")
		for _, line := range strings.Split(r.Text, "\n") {
			fmt.Fprintf(&b, "    | %s\n", line)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatMonths(m int) string {
	switch {
	case m < 12:
		return fmt.Sprintf("%d mo", m)
	case m%12 == 0:
		return fmt.Sprintf("%d y", m/12)
	}
	return fmt.Sprintf("%d y %d mo", m/12, m%12)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func nonEmpty(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
