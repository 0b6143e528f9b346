package scoring

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
)

// part is a section of a hand-made resume.
type part struct {
	kind    parser.SectionKind
	heading string // "" for the header
	body    string
}

// makeResume builds a resume from parts, with section offsets into its text.
func makeResume(file string, parts ...part) *parser.Resume {
	r := &parser.Resume{File: file, Status: parser.StatusOK}
	var b strings.Builder
	for _, p := range parts {
		start := b.Len()
		if p.heading != "" {
			b.WriteString(p.heading)
			b.WriteString("\n")
		}
		b.WriteString(p.body)
		b.WriteString("\n")
		r.Sections = append(r.Sections, parser.Section{Kind: p.kind, Heading: p.heading, Start: start, End: b.Len()})
	}
	r.Text = b.String()
	return r
}

// plain is a resume of one experience section holding text.
func plain(text string) *parser.Resume {
	return &parser.Resume{
		File: "plain.txt", Text: text,
		Sections: []parser.Section{{Kind: parser.KindExperience, Start: 0, End: len(text)}},
	}
}

// matcherFor indexes r alone and returns its matcher.
func matcherFor(t testing.TB, r *parser.Resume) *Matcher {
	t.Helper()
	x, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	if err := x.Add(Candidate{ID: "c", Resume: r}); err != nil {
		t.Fatal(err)
	}
	m, err := x.Matcher("c")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// checkEvidence checks the invariants every evidence span keeps.
func checkEvidence(t *testing.T, r *parser.Resume, q rules.TermQuery, ev []rules.Evidence) {
	t.Helper()
	for i, e := range ev {
		if e.Start < 0 || e.End > len(r.Text) || e.Start >= e.End {
			t.Fatalf("evidence %d: span [%d,%d) out of text of %d bytes", i, e.Start, e.End, len(r.Text))
		}
		if got := r.Text[e.Start:e.End]; e.Text != got {
			t.Errorf("evidence %d: got Text %q; want Text[%d:%d] = %q", i, e.Text, e.Start, e.End, got)
		}
		if !strings.Contains(e.Context, e.Text) {
			t.Errorf("evidence %d: got Context %q; want it to contain Text %q", i, e.Context, e.Text)
		}
		if e.Term != q.Group {
			t.Errorf("evidence %d: got Term %q; want %q", i, e.Term, q.Group)
		}
		if i > 0 && e.Start < ev[i-1].End {
			t.Errorf("evidence %d: [%d,%d) overlaps or precedes [%d,%d)", i, e.Start, e.End, ev[i-1].Start, ev[i-1].End)
		}
	}
}

func texts(ev []rules.Evidence) []string {
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.Text
	}
	return out
}

// cso is a Chief Security Officer profile's term groups, 60 of them, for
// benchmarks and end-to-end tests.
var cso = []rules.TermQuery{
	{Group: "HIPAA", Aliases: []string{"HIPAA", "Health Insurance Portability and Accountability Act"}},
	{Group: "GLBA", Aliases: []string{"GLBA", "Gramm-Leach-Bliley"}},
	{Group: "SOX", Aliases: []string{"SOX", "Sarbanes-Oxley"}},
	{Group: "FISMA", Aliases: []string{"FISMA"}},
	{Group: "FERPA", Aliases: []string{"FERPA"}},
	{Group: "CCPA", Aliases: []string{"CCPA", "CPRA", "California Consumer Privacy Act"}},
	{Group: "NYDFS", Aliases: []string{"NYDFS", "23 NYCRR 500"}},
	{Group: "GDPR", Aliases: []string{"GDPR"}},
	{Group: "PCI DSS", Aliases: []string{"PCI DSS", "PCI-DSS"}},
	{Group: "breach notification", Aliases: []string{"breach notification law", "breach notification"}},
	{Group: "FedRAMP", Aliases: []string{"FedRAMP"}},
	{Group: "CMMC", Aliases: []string{"CMMC"}},
	{Group: "NERC CIP", Aliases: []string{"NERC CIP"}},
	{Group: "policies", Aliases: []string{"security policy", "security policies", "procedures"}},
	{Group: "access control", Aliases: []string{"access control", "badge access"}},
	{Group: "CCTV", Aliases: []string{"CCTV", "video surveillance"}},
	{Group: "physical security", Aliases: []string{"physical security program", "physical security"}},
	{Group: "incident response plan", Aliases: []string{"incident response plan", "IR plan"}},
	{Group: "visitor management", Aliases: []string{"visitor management"}},
	{Group: "perimeter", Aliases: []string{"perimeter security"}},
	{Group: "incident response", Aliases: []string{"incident response", "incident management"}},
	{Group: "breach", Aliases: []string{"data breach", "breach response"}},
	{Group: "forensics", Aliases: []string{"forensics", "forensic investigation"}},
	{Group: "SOC", Aliases: []string{"SOC", "security operations center"}, CaseSensitive: true},
	{Group: "threat hunting", Aliases: []string{"threat hunting"}},
	{Group: "tabletop", Aliases: []string{"tabletop exercise"}},
	{Group: "business continuity", Aliases: []string{"business continuity", "disaster recovery"}},
	{Group: "risk assessment", Aliases: []string{"risk assessment", "risk analysis"}},
	{Group: "board reporting", Aliases: []string{"board of directors", "board reporting", "executive committee"}},
	{Group: "budget", Aliases: []string{"security budget", "budget"}},
	{Group: "risk register", Aliases: []string{"risk register"}},
	{Group: "third-party risk", Aliases: []string{"third-party risk", "vendor risk"}},
	{Group: "awareness", Aliases: []string{"security awareness", "awareness training"}},
	{Group: "phishing", Aliases: []string{"phishing simulation", "phishing campaign"}},
	{Group: "training", Aliases: []string{"training program", "training programs"}},
	{Group: "presentations", Aliases: []string{"presentation", "keynote"}},
	{Group: "led", Aliases: []string{"led", "managed", "directed"}},
	{Group: "direct reports", Aliases: []string{"direct reports", "team of"}},
	{Group: "hiring", Aliases: []string{"hired", "recruited"}},
	{Group: "mentoring", Aliases: []string{"mentored", "coached"}},
	{Group: "SIEM", Aliases: []string{"SIEM", "Splunk", "QRadar"}},
	{Group: "IAM", Aliases: []string{"IAM", "identity and access management"}},
	{Group: "DLP", Aliases: []string{"DLP", "data loss prevention"}},
	{Group: "NIST CSF", Aliases: []string{"NIST CSF", "NIST Cybersecurity Framework", "NIST 800-53"}},
	{Group: "ISO 27001", Aliases: []string{"ISO 27001", "ISO/IEC 27001"}},
	{Group: "zero trust", Aliases: []string{"zero trust"}},
	{Group: "EDR", Aliases: []string{"EDR", "endpoint detection"}},
	{Group: "vulnerability management", Aliases: []string{"vulnerability management", "patch management"}},
	{Group: "penetration testing", Aliases: []string{"penetration testing", "red team"}},
	{Group: "cloud security", Aliases: []string{"cloud security", "AWS security"}},
	{Group: "CISSP", Aliases: []string{"CISSP"}, CaseSensitive: true},
	{Group: "CISM", Aliases: []string{"CISM"}, CaseSensitive: true},
	{Group: "CISA", Aliases: []string{"CISA"}, CaseSensitive: true},
	{Group: "CPP", Aliases: []string{"CPP"}, CaseSensitive: true},
	{Group: "PSP", Aliases: []string{"PSP"}, CaseSensitive: true},
	{Group: "CRISC", Aliases: []string{"CRISC"}, CaseSensitive: true},
	{Group: "CCSP", Aliases: []string{"CCSP"}, CaseSensitive: true},
	{Group: "ISC2", Aliases: []string{"ISC2", "(ISC)²"}, CaseSensitive: true},
	{Group: "ISACA", Aliases: []string{"ISACA", "ASIS International"}},
	{Group: "CPE", Aliases: []string{"continuing professional education", "conference", "RSA Conference"}},
}

// Vocabulary of the synthetic resumes.
var (
	firstNames = []string{"Ana", "Ben", "Chen", "Dana", "Élodie", "Farid", "Grace", "Hiro", "Ines", "Jon", "Sox", "Kai"}
	lastNames  = []string{"Okafor", "Smith", "Nguyen", "Müller", "Hipaa", "García", "Kowalski", "Li", "Patel", "Brown"}
	titles     = []string{"Chief Security Officer", "Director of Security", "Security Manager", "Head of Information Security",
		"Security Operations Manager", "IT Auditor", "Network Engineer", "VP, Security"}
	orgs     = []string{"Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Bank", "Wayne Logistics", "Pâtisserie Dupont"}
	sentence = []string{
		"Led incident response for %d data breach investigations, coordinating forensics with outside counsel.",
		"Built the physical security program: badge access, CCTV, visitor management and perimeter security for %d sites.",
		"Presented quarterly risk assessments to the board of directors and owned a security budget of $%dM.",
		"Managed a team of %d analysts and engineers; hired and mentored four managers.",
		"Ran security awareness training programs and phishing simulations for %d employees.",
		"Achieved HIPAA, SOX and PCI DSS compliance across %d business units.",
		"Deployed Splunk SIEM, identity and access management and data loss prevention for %d applications.",
		"Aligned controls to the NIST Cybersecurity Framework and ISO 27001; passed %d external audits.",
		"Wrote security policies and procedures, and an incident response plan tested in %d tabletop exercises.",
		"Oversaw the security operations center (SOC) and threat hunting across %d regions.",
		"Maintained network switches, cabling and the toolbox of %d field technicians.",
		"Spoke at %d conferences on zero trust and cloud security; ISC2 and ISACA member.",
		"Coordinated with marketing, finance and legal on %d cross-functional projects.",
		"Improved résumé screening throughput by %d%% with better tooling.",
		"Handled GLBA and state breach notification requirements for %d incidents.",
		"Reduced vendor risk with a third-party risk program covering %d suppliers.",
	}
	certs = []string{"CISSP", "CISM", "CISA", "CPP", "PSP", "CRISC", "CCSP", "Security+"}
)

// synth returns the i-th synthetic resume: about two pages of text with a
// header (name and contact details), summary, experience, education,
// certifications and skills. The same i always gives the same resume.
func synth(i int) *parser.Resume {
	rng := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	first, last := pick(firstNames), pick(lastNames)
	email := strings.ToLower(fmt.Sprintf("%s.%s@example.com", first, last))
	link := strings.ToLower(fmt.Sprintf("linkedin.com/in/%s-%s-%d", first, last, i))
	phone := fmt.Sprintf("+1 555 %03d %04d", i%1000, rng.IntN(10000))

	var exp strings.Builder
	year := 2024
	var positions []parser.Position
	for range 4 + rng.IntN(3) {
		title := pick(titles)
		from := year - 1 - rng.IntN(4)
		fmt.Fprintf(&exp, "%s, %s, %d - %d\n", title, pick(orgs), from, year)
		positions = append(positions, parser.Position{Title: title})
		for range 5 + rng.IntN(4) {
			exp.WriteString("- ")
			fmt.Fprintf(&exp, pick(sentence), 2+rng.IntN(40))
			exp.WriteString(" ")
			fmt.Fprintf(&exp, pick(sentence), 2+rng.IntN(40))
			exp.WriteString("\n")
		}
		year = from
	}
	var cs []string
	for range 1 + rng.IntN(3) {
		cs = append(cs, pick(certs))
	}
	r := makeResume(fmt.Sprintf("resume-%05d.pdf", i),
		part{parser.KindHeader, "", fmt.Sprintf("%s %s\n%s | %s | %s\n%s", first, last, email, phone, link, pick(titles))},
		part{parser.KindSummary, "SUMMARY", fmt.Sprintf(pick(sentence), rng.IntN(30)) + " " + fmt.Sprintf(pick(sentence), rng.IntN(30))},
		part{parser.KindExperience, "EXPERIENCE", exp.String()},
		part{parser.KindEducation, "EDUCATION", "B.S. Information Systems, State University, 2001\nM.S. Cybersecurity, Tech Institute, 2008"},
		part{parser.KindCertifications, "CERTIFICATIONS", strings.Join(cs, ", ")},
		part{parser.KindSkills, "SKILLS", "SIEM, IAM, DLP, EDR, vulnerability management, penetration testing, C++, cpp, Python, toolbox"},
	)
	r.SHA256 = fmt.Sprintf("%064x", i)
	r.Contact = parser.Contact{Name: first + " " + last, Emails: []string{email}, Phones: []string{phone}, Links: []string{"https://www." + link}}
	r.Positions = positions
	r.Certifications = cs
	return r
}

// termEvaluator is a fake profile: each group is a requirement of weight 1,
// met when the group matches; groups named in knockouts must match for the
// candidate to qualify.
type termEvaluator struct {
	id        string
	groups    []rules.TermQuery
	knockouts map[string]bool
}

func (p termEvaluator) Evaluate(res *parser.Resume, m rules.Matcher) (rules.Result, error) {
	out := rules.Result{Profile: rules.ProfileRef{ID: p.id, Hash: "h-" + p.id}, Qualified: true, Version: "fake"}
	met := 0
	for _, g := range p.groups {
		ev, err := m.Match(g)
		if err != nil {
			return rules.Result{}, err
		}
		o := rules.Outcome{ID: g.Group, Kind: rules.KindTerms, Weight: 1, Evidence: ev, Status: rules.StatusMissing}
		if len(ev) > 0 {
			met++
			o.Status, o.Credit = rules.StatusMet, 1
		} else if p.knockouts[g.Group] {
			o.Knockout, o.Failed = true, true
			out.Qualified = false
			out.KnockoutsFailed = append(out.KnockoutsFailed, g.Group)
		}
		out.Requirements = append(out.Requirements, o)
	}
	if len(p.groups) > 0 {
		out.Score = float64(int(1000*float64(met)/float64(len(p.groups))+0.5)) / 10
	}
	return out, nil
}
