package rules

import (
	"slices"
	"strings"
	"testing"

	"sift/parser"
)

// textMatcher is a plain Matcher over one resume's text: every whole-word
// occurrence of an alias, ignoring case unless the query says otherwise,
// in the query's sections. (Package scoring's matcher uses bleve.)
type textMatcher struct{ res *parser.Resume }

func (m textMatcher) Match(q TermQuery) ([]Evidence, error) {
	x := &evalCtx{res: m.res}
	var out []Evidence
	for _, alias := range q.Aliases {
		for from := 0; from < len(m.res.Text); {
			i := findWord(m.res.Text[from:], alias, !q.CaseSensitive)
			if i < 0 {
				break
			}
			s := from + i
			from = s + len(alias)
			if len(q.Sections) > 0 && !slices.Contains(q.Sections, x.sectionAt(s)) {
				continue
			}
			ev := x.evidence(s, s+len(alias))
			ev.Term = q.Group
			out = append(out, ev)
		}
	}
	return out, nil
}

// builder writes a resume's text line by line and records its sections,
// positions and offsets, as the parser would.
type builder struct {
	b   strings.Builder
	res parser.Resume
}

func newResume(file string, asOf string) *builder {
	r := &builder{}
	r.res.File = file
	r.res.Status = parser.StatusOK
	r.res.AsOf = month(asOf)
	r.section(parser.KindHeader, "")
	return r
}

func month(s string) parser.Month {
	if s == "" {
		return parser.Month{}
	}
	m, err := parser.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

func (r *builder) closeSection() {
	if n := len(r.res.Sections); n > 0 {
		r.res.Sections[n-1].End = r.b.Len()
	}
}

// section starts a section; its heading is its first line.
func (r *builder) section(kind parser.SectionKind, heading string) *builder {
	r.closeSection()
	r.res.Sections = append(r.res.Sections, parser.Section{Kind: kind, Heading: heading, Start: r.b.Len()})
	if heading != "" {
		r.line(heading)
	}
	return r
}

// line appends a line and returns its offset.
func (r *builder) line(s string) int {
	off := r.b.Len()
	r.b.WriteString(s)
	r.b.WriteByte('\n')
	return off
}

func (r *builder) lines(ss ...string) *builder {
	for _, s := range ss {
		r.line(s)
	}
	return r
}

// position appends a position: a line "Title, Org  start – end" and its
// bullets. end "" means current.
func (r *builder) position(title, org, start, end string, bullets ...string) *builder {
	dates := start + " – " + end
	if end == "" {
		dates = start + " – Present"
	}
	off := r.line(title + ", " + org + "\t" + dates)
	p := parser.Position{Title: title, Organization: org, Start: month(start), Dates: dates, Offset: off}
	last := r.res.AsOf
	if end == "" {
		p.Current = true
	} else {
		e := month(end)
		p.End = &e
		last = e
	}
	p.Months = last.Index() - p.Start.Index() + 1
	r.res.Positions = append(r.res.Positions, p)
	for _, b := range bullets {
		r.line("- " + b)
	}
	return r
}

// degree appends an education line.
func (r *builder) degree(e parser.Education, line string) *builder {
	r.line(line)
	r.res.Education = append(r.res.Education, e)
	return r
}

func (r *builder) certs(names ...string) *builder {
	r.res.Certifications = append(r.res.Certifications, names...)
	return r
}

func (r *builder) contact(name string, emails ...string) *builder {
	r.res.Contact = parser.Contact{Name: name, Emails: emails, Phones: []string{"(555) 010-0100"}, Links: []string{"https://example.com/in/x"}}
	return r
}

func (r *builder) build() *parser.Resume {
	r.closeSection()
	res := r.res
	res.Text = r.b.String()
	total := 0
	for _, p := range res.Positions {
		total += p.Months
	}
	res.ExperienceMonths = total
	return &res
}

// strongCSO is a candidate who meets every requirement of the CSO profile.
func strongCSO() *parser.Resume {
	r := newResume("strong.txt", "2025-06").
		lines("Jordan Rivera", "Chief Security Officer", "jordan.rivera@example.com | (555) 010-0100").
		contact("Jordan Rivera", "jordan.rivera@example.com")
	r.section(parser.KindSummary, "SUMMARY").lines(
		"Security executive with 13 years leading physical and information security programs;",
		"reports quarterly to the board of directors on risk.")
	r.section(parser.KindExperience, "EXPERIENCE").
		position("Chief Security Officer", "Northwind Health", "2018-01", "",
			"Led a team of 25 across the security operations center (SOC), physical security and GRC.",
			"Own the $4M security budget and present risk assessments to the audit committee.",
			"Wrote the incident response plan; managed the response to a data breach and led forensics.",
			"Maintain compliance with HIPAA, HITECH and state breach notification laws; NIST CSF program.",
			"Rolled out security awareness training and phishing simulations to 6,000 staff.").
		position("Director of Security", "Contoso Bank", "2012-03", "2017-12",
			"Managed security policies and procedures, access control and CCTV for 40 branches.",
			"GLBA and SOX compliance; NYDFS 23 NYCRR 500 program; risk management committee.",
			"Deployed SIEM (Splunk), IAM with MFA, and DLP; achieved ISO 27001 certification.",
			"Supervised 12 direct reports.")
	r.section(parser.KindEducation, "EDUCATION").
		degree(parser.Education{Level: parser.LevelBachelor, Degree: "B.S.", Field: "Computer Science", Institution: "State University", Year: 2005},
			"B.S. Computer Science, State University, 2005")
	r.section(parser.KindCertifications, "CERTIFICATIONS").
		lines("CISSP – Certified Information Systems Security Professional", "CISM", "CPP").
		certs("CISSP", "CISM", "CPP")
	r.section(parser.KindOther, "MEMBERSHIPS").
		lines("Member of ISACA and ASIS; 40 CPE hours a year; speaker at RSA Conference.")
	return r.build()
}

// nearMiss has 22 of the 36 months as a security manager.
func nearMiss() *parser.Resume {
	r := newResume("near.txt", "2025-06").lines("Sam Lee", "sam@example.com").contact("Sam Lee", "sam@example.com")
	r.section(parser.KindExperience, "EXPERIENCE").
		position("Security Manager", "Acme Corp", "2023-09", "",
			"Led a team of 6; incident response and breach investigations; HIPAA and SOX audits.",
			"Security awareness training program; risk assessments presented to senior leadership; budget.").
		position("IT Analyst", "Acme Corp", "2018-01", "2023-08",
			"Firewall and SIEM administration; access control reviews.")
	r.section(parser.KindEducation, "EDUCATION").
		degree(parser.Education{Level: parser.LevelBachelor, Degree: "B.S.", Field: "Information Technology", Institution: "Tech University", Year: 2017},
			"B.S. Information Technology, Tech University, 2017")
	r.section(parser.KindCertifications, "CERTIFICATIONS").lines("CISSP").certs("CISSP")
	return r.build()
}

// noDegree is an experienced security director with an associate's degree
// and a master's in progress.
func noDegree() *parser.Resume {
	r := newResume("nodegree.txt", "2025-06").lines("Pat Kim", "pat@example.com").contact("Pat Kim", "pat@example.com")
	r.section(parser.KindExperience, "EXPERIENCE").
		position("Director of Corporate Security", "Fabrikam", "2015-01", "",
			"Managed a team of 30; physical security, CCTV, access control, incident response.",
			"HIPAA, GLBA and FERPA compliance; security budget; board reporting to the audit committee.")
	r.section(parser.KindEducation, "EDUCATION").
		degree(parser.Education{Level: parser.LevelAssociate, Degree: "A.A.S.", Field: "Criminal Justice", Institution: "County College", Year: 2008},
			"A.A.S. Criminal Justice, County College, 2008").
		degree(parser.Education{Level: parser.LevelMaster, Degree: "M.S.", Field: "Cybersecurity", Institution: "Online University", Year: 2026, InProgress: true},
			"M.S. Cybersecurity, Online University, expected 2026")
	return r.build()
}

// pastryChef has nothing to do with security.
func pastryChef() *parser.Resume {
	r := newResume("chef.md", "2025-06").lines("Alex Moreau", "alex@example.com").contact("Alex Moreau", "alex@example.com")
	r.section(parser.KindExperience, "Experience").
		position("Head Pastry Chef", "Le Petit Four", "2016-04", "",
			"Managed a team of 8 bakers; food safety procedures; ordering and budget.").
		position("Pastry Cook", "Hotel Royal", "2012-01", "2016-03", "Laminated doughs and plated desserts.")
	r.section(parser.KindEducation, "Education").
		degree(parser.Education{Level: parser.LevelAssociate, Degree: "A.O.S.", Field: "Baking and Pastry Arts", Institution: "Culinary Institute", Year: 2011},
			"A.O.S. Baking and Pastry Arts, Culinary Institute, 2011")
	r.section(parser.KindCertifications, "Certifications").lines("Level 3 Food Hygiene Certificate").certs("Level 3 Food Hygiene Certificate")
	return r.build()
}

func mustBuiltin(t testing.TB, id string) *Profile {
	t.Helper()
	p, err := Builtin(id)
	if err != nil {
		t.Fatalf("Builtin(%q): %v", id, err)
	}
	return p
}

func mustParse(t testing.TB, yaml string) *Profile {
	t.Helper()
	p, err := ParseNamed("test.yaml", []byte(yaml), "yaml")
	if err != nil {
		t.Fatalf("ParseNamed: %v", err)
	}
	return p
}

func evaluate(t testing.TB, p *Profile, res *parser.Resume) Result {
	t.Helper()
	r, err := (&Evaluator{Profile: p, Version: "test"}).Evaluate(res, textMatcher{res})
	if err != nil {
		t.Fatalf("Evaluate(%s): %v", res.File, err)
	}
	return r
}

func outcome(t testing.TB, r Result, id string) Outcome {
	t.Helper()
	for _, o := range r.Requirements {
		if o.ID == id {
			return o
		}
	}
	t.Fatalf("no outcome %q in result", id)
	return Outcome{}
}
