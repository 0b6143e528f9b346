package parser

import (
	"fmt"
	"strings"
	"testing"

	"sift/parser/internal/layout"
)

// plain makes layout lines from text lines with no layout cues.
func plain(lines ...string) []layout.Line {
	out := make([]layout.Line, len(lines))
	for i, l := range lines {
		out[i] = layout.Line{Text: l, Page: 1}
	}
	return out
}

// buildLines runs structure extraction on lines, as of testAsOf.
func buildLines(t testing.TB, lines []layout.Line) *Resume {
	t.Helper()
	res := &Resume{AsOf: testAsOf}
	structure(res, &layout.Document{Pages: 1, Lines: lines})
	return res
}

func sectionKinds(r *Resume) string {
	var ks []string
	for _, s := range r.Sections {
		ks = append(ks, string(s.Kind)+":"+s.Heading)
	}
	return strings.Join(ks, " | ")
}

func TestSections(t *testing.T) {
	body := layout.Line{Text: "Led a team of five analysts across two sites.", Size: 10, Page: 1}
	tests := []struct {
		name  string
		lines []layout.Line
		want  string
	}{
		{"plain heading words", plain("Jane Doe", "jane@example.com", "Professional Experience", "Analyst, Acme Corp 2019 - 2021", "Education", "B.S. in Biology, 2015"),
			"header: | experience:Professional Experience | education:Education"},
		{"caps and colon", plain("Jane Doe", "WORK HISTORY:", "Analyst, Acme Corp 2019 - 2021", "EDUCATION & TRAINING", "B.S. in Biology, 2015"),
			"header: | experience:WORK HISTORY | education:EDUCATION & TRAINING"},
		{"letter-spaced", plain("Jane Doe", "W O R K  E X P E R I E N C E", "Analyst, Acme Corp 2019 - 2021", "S K I L L S", "Go, SQL"),
			"header: | experience:W O R K  E X P E R I E N C E | skills:S K I L L S"},
		{"small caps split", plain("Jane Doe", "R ESEARCH E XPERIENCE", "Research Assistant, Lab 2019 - 2021"),
			"header: | experience:R ESEARCH E XPERIENCE"},
		{"variants", plain("Jane Doe", "Summary", "x", "Career History", "x", "Academic Background", "x", "Licenses & Certifications", "x", "Core Competencies", "x", "Projects", "x", "About me", "x"),
			"header: | summary:Summary | experience:Career History | education:Academic Background | certifications:Licenses & Certifications | skills:Core Competencies | other:Projects | summary:About me"},
		{"french german spanish", plain("Jean Dupont", "Expériences professionnelles", "x", "Formation", "x", "Berufserfahrung", "x", "Ausbildung", "x", "Experiencia laboral", "x", "Educación", "x"),
			"header: | experience:Expériences professionnelles | education:Formation | experience:Berufserfahrung | education:Ausbildung | experience:Experiencia laboral | education:Educación"},
		{"inline heading", plain("Jane Doe", "Skills: Go, SQL, Terraform", "Certifications: CISSP, CISM"),
			"header: | skills:Skills | certifications:Certifications"},
		{"inline experience is no heading", plain("Jane Doe", "Summary", "Experience: 12 years in security"),
			"header: | summary:Summary"},
		{"sentence ending in a heading word", plain("Jane Doe", "Summary", "Worked with many teams and", "others;"),
			"header: | summary:Summary"},
		{"markup level", []layout.Line{{Text: "Jane Doe", Level: 1}, {Text: "Experience", Level: 2}, {Text: "Analyst, Acme 2019 - 2021"}, {Text: "Volunteering & Outreach", Level: 2}, {Text: "x"}, {Text: "Patents Filed", Level: 2}, {Text: "x"}},
			"header: | experience:Experience | other:Volunteering & Outreach | other:Patents Filed"},
		{"docx style, job lines a level below", []layout.Line{{Text: "Jane Doe", Style: "Title"}, {Text: "Experience", Style: "heading 1", Level: 1}, {Text: "Security Manager, Acme", Style: "heading 2", Level: 2}, {Text: "2019 - 2021"}, {Text: "Publications and Talks", Style: "heading 1", Level: 1}, {Text: "x"}},
			"header: | experience:Experience | other:Publications and Talks"},
		{"unknown heading with the looks of known ones", []layout.Line{
			{Text: "Jane Doe", Size: 20, Bold: true}, {Text: "EXPERIENCE", Size: 13, Bold: true, Caps: true}, body,
			{Text: "FIELD NOTES", Size: 13, Bold: true, Caps: true}, body, body,
			{Text: "EDUCATION", Size: 13, Bold: true, Caps: true}, body},
			"header: | experience:EXPERIENCE | other:FIELD NOTES | education:EDUCATION"},
		{"bold job title is no heading", []layout.Line{
			{Text: "Jane Doe", Size: 20, Bold: true}, {Text: "Experience", Size: 13, Bold: true}, {Text: "Security Manager", Size: 13, Bold: true}, {Text: "Acme Corp, 2019 - 2021", Size: 10}, body},
			"header: | experience:Experience"},
		{"size only, no known heading", []layout.Line{
			{Text: "Jane Doe", Size: 22}, body, {Text: "What I Did", Size: 16}, body, body, {Text: "Where I Studied", Size: 16}, body},
			"header: | other:What I Did | other:Where I Studied"},
		{"the name atop the main column starts a header", append(sidebar(),
			layout.Line{Text: "Morgan E. Lindqvist", Size: 22, Bold: true, Page: 1, Column: 2, Block: true},
			layout.Line{Text: "Security Manager", Size: 12, Page: 1, Column: 2, Block: true},
			layout.Line{Text: "Summary", Size: 12.5, Bold: true, Page: 1, Column: 2, Block: true},
			layout.Line{Text: "Security manager with a background in operations and compliance.", Size: 10, Page: 1, Column: 2}),
			"other:Contact | education:Education | skills:Skills | header: | summary:Summary"},
		// Without a single heading the header would hold the whole resume,
		// and matching leaves the header (name, contact) alone.
		{"no headings: positions start a body", plain("Jane Doe", "Home (555) 555-0100 | jane@example.com",
			"7/2022-Present, Security Manager, State Agency", "Supervise a team of five analysts",
			"11/2018-7/2022, Security Analyst, State Agency", "Ran vulnerability assessments"),
			"header: | experience:"},
		{"no headings: a title above its dates stays with them", plain("Jane Doe", "jane@example.com",
			"Security Manager, State Agency", "2019 - 2022", "Supervise a team of five analysts"),
			"header: | experience:"},
		{"no headings, no positions: the header is the first short lines", plain("Jane Doe", "jane@example.com",
			"I have spent twelve years protecting hospitals, banks and their patients' and customers' data from harm.", "More text"),
			"header: | other:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := buildLines(t, tc.lines)
			if got := sectionKinds(r); got != tc.want {
				t.Errorf("sections = %s; want %s", got, tc.want)
			}
			for _, s := range r.Sections {
				if s.Start < 0 || s.End > len(r.Text) || s.Start > s.End {
					t.Errorf("section %q span %d..%d outside text of %d bytes", s.Heading, s.Start, s.End, len(r.Text))
				}
				if s.Heading != "" && !strings.Contains(r.Text[s.Start:s.End], strings.Fields(s.Heading)[0]) {
					t.Errorf("section %q: text %q does not hold its heading", s.Heading, r.Text[s.Start:s.End])
				}
			}
		})
	}
}

func posString(p Position) string {
	if p.Start.IsZero() {
		return fmt.Sprintf("%s @ %s undated", p.Title, p.Organization)
	}
	end := "now"
	if p.End != nil {
		end = p.End.String()
	}
	return fmt.Sprintf("%s @ %s %s..%s %d", p.Title, p.Organization, p.Start, end, p.Months)
}

func TestPositions(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"title, org and dates on one line",
			[]string{"Experience", "Security Manager, Acme Corp   Jan 2019 – Present", "• Led a team of six.", "Analyst, Beta LLC   2015 – 2019", "• Ran audits."},
			[]string{"Security Manager @ Acme Corp 2019-01..now 95", "Analyst @ Beta LLC 2015-01..2018-12 48"}},
		{"org and city over title and dates",
			[]string{"Work Experience", "Northwind Traders — Denver, CO", "Operations Analyst   2019–2021", "• Built reports.", "Contoso Ltd — Austin, TX", "IT Specialist   2016–2019", "• Fixed laptops."},
			[]string{"Operations Analyst @ Northwind Traders 2019-01..2020-12 24", "IT Specialist @ Contoso Ltd 2016-01..2018-12 36"}},
		{"pipes",
			[]string{"Experience", "Security Engineer | Fabrikam Inc | 2019 - 2021", "- Hardened servers.", "Network Technician | Tailspin Toys | 2017 - 2019"},
			[]string{"Security Engineer @ Fabrikam Inc 2019-01..2020-12 24", "Network Technician @ Tailspin Toys 2017-01..2018-12 24"}},
		{"dates on their own line before",
			[]string{"Employment", "03/2017 - 06/2020", "Information Security Officer", "Woodgrove Bank, Seattle, WA", "• Wrote policies for the bank.", "01/2015 - 02/2017", "Systems Administrator", "Litware Inc", "• Patched systems."},
			[]string{"Information Security Officer @ Woodgrove Bank 2017-03..2020-06 40", "Systems Administrator @ Litware Inc 2015-01..2017-02 26"}},
		{"dates on their own line after",
			[]string{"Career History", "Director of Security", "Adventure Works", "Sept. 2012 to Aug. 2015", "• Owned the security budget.", "Security Supervisor", "Blue Yonder Airlines", "Sep '10 – Aug '12", "• Supervised guards."},
			[]string{"Director of Security @ Adventure Works 2012-09..2015-08 36", "Security Supervisor @ Blue Yonder Airlines 2010-09..2012-08 24"}},
		{"dates in a left column",
			[]string{"Experience", "2018 – 2021   Compliance Coordinator, Margie's Travel", "Kept records for the audit team.", "2015 – 2018   Office Assistant, Alpine Ski House", "Answered phones."},
			[]string{"Compliance Coordinator @ Margie's Travel 2018-01..2020-12 36", "Office Assistant @ Alpine Ski House 2015-01..2017-12 36"}},
		{"two positions at one employer",
			[]string{"Professional Experience", "Coho Winery, Napa, CA", "Head of Security   Jan 2020 – Present", "• Built the security program.", "Security Analyst   Mar 2017 – Dec 2019", "• Triaged alerts."},
			[]string{"Head of Security @ Coho Winery 2020-01..now 83", "Security Analyst @ Coho Winery 2017-03..2019-12 34"}},
		{"org over two dated titles with no bullets",
			[]string{"Experience", "Graphic Design Institute", "Lab Manager   2019 - 2021", "Lab Technician   2017 - 2019"},
			[]string{"Lab Manager @ Graphic Design Institute 2019-01..2020-12 24", "Lab Technician @ Graphic Design Institute 2017-01..2018-12 24"}},
		{"title at org",
			[]string{"Experience", "Software Engineer at Wingtip Toys (Jun 2021 – Aug 2023)", "Built the checkout service."},
			[]string{"Software Engineer @ Wingtip Toys 2021-06..2023-08 27"}},
		{"bullet sentence is never a title",
			[]string{"Experience", "Acme Corp   2019 – 2021", "Managed the rollout of a new identity platform for 4,000 employees in 2020 across three regions."},
			nil},
		{"projects are not positions",
			[]string{"Experience", "Analyst, Acme Corp   2019 – 2021", "Projects", "Home Lab Administrator   2018 – 2020"},
			[]string{"Analyst @ Acme Corp 2019-01..2020-12 24"}},
		{"expected dates are not held",
			[]string{"Experience", "Research Intern, Contoso Labs   Expected June 2027 - August 2027"},
			nil},
		{"season and lone month",
			[]string{"Experience", "Marketing Intern, Fourth Coffee   Summer 2020", "Sous Chef, The Phone Company Cafe   Jul 2010"},
			[]string{"Marketing Intern @ Fourth Coffee 2020-06..2020-08 3", "Sous Chef @ The Phone Company Cafe 2010-07..2010-07 1"}},
		{"german",
			[]string{"Berufserfahrung", "Muster GmbH   Berlin", "IT-Sicherheitsbeauftragter   März 2015 – heute", "• Aufbau des ISMS"},
			[]string{"IT-Sicherheitsbeauftragter @ Muster GmbH 2015-03..now 141"}},
		{"undated title between dated ones",
			[]string{"Experience", "Security Analyst, Acme Corp   2019 – 2021", "• Triaged alerts.", "Security Engineer - Beta LLC", "• Built tools and wrote the runbooks for the team.", "IT Technician, Gamma Inc   2015 – 2017", "• Fixed laptops."},
			[]string{"Security Analyst @ Acme Corp 2019-01..2020-12 24", "Security Engineer @ Beta LLC undated", "IT Technician @ Gamma Inc 2015-01..2016-12 24"}},
		{"undated list",
			[]string{"EXPERIENCE: 11+ years in security", "Information Security Engineer - Wilson Trading", "Security Operations Manager - Northwind Watch", "SOE Engineer - Contoso"},
			[]string{"Information Security Engineer @ Wilson Trading undated", "Security Operations Manager @ Northwind Watch undated", "SOE Engineer @ Contoso undated"}},
		{"a list heading is no undated position",
			[]string{"Experience", "Business Analyst, Acme Corp   2019 – 2021", "Business Analyst Tasks", "• Wrote requirements and test plans for the claims system."},
			[]string{"Business Analyst @ Acme Corp 2019-01..2020-12 24"}},
		{"employer with a title word in it, last before a heading",
			[]string{"Experience", "Shift Supervisor   2005 – 2012", "Eastern Guard Services, Dayton, OH", "• Scheduled guards.", "Security Officer   2001 – 2005", "Eastern Guard Services, Dayton, OH", "Education", "High School Diploma, Dayton Central High School, 2000"},
			[]string{"Shift Supervisor @ Eastern Guard Services 2005-01..2011-12 84", "Security Officer @ Eastern Guard Services 2001-01..2004-12 48"}},
		{"Title — Org over dates and a city",
			[]string{"Experience", "Line Cook — Bistro Anselme", "Sept. 2012 to Mar. 2018 · Nantes", "• Ran the grill station."},
			[]string{"Line Cook @ Bistro Anselme 2012-09..2018-03 67"}},
		{"a legal form still outranks the org after the dash",
			[]string{"Experience", "Supervisor - Facilities Controls", "March 2016 to Current   Tailspin Company | Reno, NV", "• Ran the night shift."},
			[]string{"Supervisor @ Tailspin Company 2016-03..now 129"}},
		{"future start is kept with no months",
			[]string{"Experience", "Security Architect, Acme Corp   Jan 2027 – Present"},
			[]string{"Security Architect @ Acme Corp 2027-01..now 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := buildLines(t, plain(tc.lines...))
			var got []string
			for _, p := range r.Positions {
				got = append(got, posString(p))
				if p.Offset < 0 || p.Offset >= len(r.Text) || p.Offset > 0 && r.Text[p.Offset-1] != '\n' {
					t.Errorf("position %q: offset %d is not a line start", p.Title, p.Offset)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("positions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestExperienceMonths(t *testing.T) {
	m := func(y, mo int) *Month { return &Month{y, mo} }
	tests := []struct {
		name string
		ps   []Position
		want int
	}{
		{"none", nil, 0},
		{"one", []Position{{Start: Month{2019, 1}, End: m(2019, 12), Months: 12}}, 12},
		{"overlap counted once", []Position{
			{Start: Month{2015, 1}, End: m(2019, 12), Months: 60},
			{Start: Month{2018, 1}, End: m(2020, 12), Months: 36}}, 72},
		{"contained", []Position{
			{Start: Month{2010, 1}, End: m(2020, 12), Months: 132},
			{Start: Month{2012, 6}, End: m(2012, 8), Months: 3}}, 132},
		{"gap", []Position{
			{Start: Month{2010, 1}, End: m(2010, 12), Months: 12},
			{Start: Month{2012, 1}, End: m(2012, 12), Months: 12}}, 24},
		{"adjacent", []Position{
			{Start: Month{2010, 1}, End: m(2010, 12), Months: 12},
			{Start: Month{2011, 1}, End: m(2011, 6), Months: 6}}, 18},
		{"current to as-of", []Position{{Start: Month{2019, 1}, Current: true, Months: 95}}, 95},
		{"two current", []Position{
			{Start: Month{2019, 1}, Current: true, Months: 95},
			{Start: Month{2020, 1}, Current: true, Months: 83}}, 95},
		{"undated and future skipped", []Position{
			{Title: "undated"},
			{Start: Month{2027, 1}, Current: true, Months: 0},
			{Start: Month{2026, 1}, End: m(2026, 3), Months: 3}}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ExperienceMonths(tc.ps, testAsOf); got != tc.want {
				t.Errorf("experienceMonths = %d; want %d", got, tc.want)
			}
		})
	}
}

func eduString(e Education) string {
	s := fmt.Sprintf("%s|%s|%s|%d", e.Level, e.Field, e.Institution, e.Year)
	if e.InProgress {
		s += "|in progress"
	}
	return s
}

func TestEducation(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
	}{
		{"bachelor of science in", []string{"Education", "Bachelor of Science in Information Technology, Northwind University, 2012"},
			[]string{"bachelor|Information Technology|Northwind University|2012"}},
		{"abbreviations", []string{"Education", "B.S., Computer Science — Contoso State University (2010)", "MBA, Fabrikam Business School, 2016", "Ph.D. in Physics, Tailspin Institute of Technology, 2021"},
			[]string{"bachelor|Computer Science|Contoso State University|2010", "master||Fabrikam Business School|2016", "doctorate|Physics|Tailspin Institute of Technology|2021"}},
		{"school line over degree line", []string{"Education", "Woodgrove University   Boston, MA", "MSc Cybersecurity   Sep 2014 – Jun 2016"},
			[]string{"master|Cybersecurity|Woodgrove University|2016"}},
		{"associate", []string{"Education", "A.A.S. in Network Administration, Lakeshore Community College, 2008", "Associate of Arts, Liberal Studies, 2005"},
			[]string{"associate|Network Administration|Lakeshore Community College|2008", "associate|Liberal Studies||2005"}},
		{"expected is in progress", []string{"Education", "Litware University", "BS in Computer Engineering   Expected June 2027"},
			[]string{"bachelor|Computer Engineering|Litware University|2027|in progress"}},
		{"range to present is in progress", []string{"Education", "M.S. Analytics, Contoso University, 2024 - Present"},
			[]string{"master|Analytics|Contoso University|0|in progress"}},
		{"year after as-of is in progress", []string{"Education", "Bachelor of Arts, History, Fabrikam College, 2028"},
			[]string{"bachelor|History|Fabrikam College|2028|in progress"}},
		{"candidate", []string{"Education", "PhD Candidate, Chemistry, Alpine University"},
			[]string{"doctorate|Chemistry|Alpine University|0|in progress"}},
		{"high school is no degree", []string{"Education", "High School Diploma, Lincoln High School, 2004"},
			[]string{"||Lincoln High School|2004"}},
		{"german diplom, french licence", []string{"Ausbildung", "Diplom-Informatiker, Universität Musterstadt, 2008", "Licence en droit, Université de Lyon, 2010"},
			[]string{"master|Informatiker|Universität Musterstadt|2008", "bachelor|droit|Université de Lyon|2010"}},
		{"BS needs an education section", []string{"Skills", "BS detector, MS Office, MA in progress"},
			nil},
		{"MS Office and Boston, MA are no degrees", []string{"Education", "Proficient in MS Office", "Coho College, Boston, MA 02115"},
			nil},
		{"degree in the summary counts", []string{"Summary", "Security leader with a Master's degree in Information Assurance.", "Experience", "Analyst, Acme 2019 - 2021"},
			[]string{"master|Information Assurance||0"}},
		{"degree words in experience do not", []string{"Experience", "Lab Manager, Acme 2019 - 2021", "Mentored PhD students and taught Master's courses."},
			nil},
		{"dates before the degree", []string{"Education", "Sep 2014 – Jun 2016   MSc Cybersecurity, Woodgrove University"},
			[]string{"master|Cybersecurity|Woodgrove University|2016"}},
		{"two degrees share the date below", []string{"Education", "University of Tailspin", "BA in Computer Science", "BA in History", "Exp. May 2027 | Charlottesville, VA"},
			[]string{"bachelor|Computer Science|University of Tailspin|2027|in progress", "bachelor|History||2027|in progress"}},
		{"J.D. is a doctorate", []string{"Education", "J.D., Contoso Law School, 2011"},
			[]string{"doctorate||Contoso Law School|2011"}},
		{"degree lines over school lines: the school below is the entry's own",
			[]string{"Education", "M.S. in Network Defense 2012", "Fabrikam Institute of Technology", "B.S. in Information Systems 2006", "Contoso Valley University"},
			[]string{"master|Network Defense|Fabrikam Institute of Technology|2012", "bachelor|Information Systems|Contoso Valley University|2006"}},
		{"degree lines over school lines, the dates below",
			[]string{"Education", "M.S. in Data Engineering", "Alderbrook University", "Sept 2009 – June 2011", "B.S. in Applied Statistics", "Alderbrook University", "Sept 2005 – June 2009"},
			[]string{"master|Data Engineering|Alderbrook University|2011", "bachelor|Applied Statistics|Alderbrook University|2009"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := buildLines(t, plain(append([]string{"Pat Example"}, tc.lines...)...))
			var got []string
			for _, e := range r.Education {
				got = append(got, eduString(e))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("education:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestEducationOrder(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  eduOrder
	}{
		{"degree lines first", []string{"M.S. in Network Defense 2012", "Fabrikam Institute of Technology", "B.S. in Information Systems 2006", "Contoso Valley University"}, eduBelow},
		{"school lines first", []string{"Fabrikam Institute of Technology", "M.S. in Network Defense 2012", "Contoso Valley University", "B.S. in Information Systems 2006"}, eduAbove},
		{"one line each", []string{"M.S. in Network Defense, Fabrikam Institute of Technology, 2012", "B.S. in Information Systems, Contoso Valley University, 2006"}, eduEither},
		{"lines both ways", []string{"Fabrikam Institute of Technology", "M.S. in Network Defense", "2012", "Contoso Valley University", "B.S. in Information Systems", "2006"}, eduEither},
		{"a first degree line naming its school", []string{"Lakeside High School", "Springfield, IL", "SSC", "2012", "Tailspin Junior College", "Springfield, IL", "HSC", "2014"}, eduEither},
		{"a last degree line naming its school", []string{"Springfield, IL", "SSC 2012", "Springfield, IL", "Lakeside High School"}, eduEither},
		{"one degree", []string{"M.S. in Network Defense 2012", "Fabrikam Institute of Technology"}, eduEither},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := &Resume{}
			d := &doc{lx: loadLexicon(), asOf: testAsOf}
			res.Text, d.lines = prepareLines(plain(append([]string{"Pat Example", "Education"}, tc.lines...)...))
			d.findSections()
			s := d.sections[len(d.sections)-1]
			if s.kind != KindEducation {
				t.Fatalf("last section is %s; want education", s.kind)
			}
			var at []int
			var hits []degreeHit
			for i := s.first + 1; i <= s.last; i++ {
				if h, ok := bestDegree(d.lineDegrees(i, true)); ok {
					at = append(at, i)
					hits = append(hits, h)
				}
			}
			if got := d.educationOrder(s, at, hits); got != tc.want {
				t.Errorf("educationOrder = %d; want %d", got, tc.want)
			}
		})
	}
}

func TestDateColumns(t *testing.T) {
	at := func(col int, x, y, size float64, bold bool, text string) layout.Line {
		return layout.Line{Text: text, Page: 1, Column: col, X: x, Y: y, Size: size, Bold: bold}
	}
	// A page with dates in a left column (moderncv style) that a reader
	// split into columns from the second entry down: the left column got
	// the dates, the headings and the undated items.
	tableSplit := []layout.Line{
		at(0, 54, 60, 22, true, "Noor A. Haddad"),
		at(0, 54, 98, 9.5, false, "noor.haddad@example.com | (915) 555-0100"),
		at(0, 54, 118, 12.5, true, "Experience"),
		at(0, 54, 136, 11, true, "03/2020 - 10/2026 Security Operations Manager"),
		at(0, 144, 150, 10, false, "Border Energy Cooperative"),
		at(0, 54, 181, 11, true, "01/2016 - 02/2020 SOC Analyst"),
		at(1, 54, 234, 12.5, true, "Education"),
		at(1, 54, 252, 10, false, "2015"),
		at(1, 54, 288, 12.5, true, "Certifications"),
		at(1, 54, 306, 10, false, "GCIH"),
		at(1, 54, 340, 12.5, true, "Skills"),
		at(2, 144, 195, 10, false, "Border Energy Cooperative"),
		at(2, 144, 209, 10, false, "Triaged alerts and wrote runbooks."),
		at(2, 144, 252, 11, true, "Bachelor of Applied Science, Information Assurance"),
		at(2, 144, 266, 10, false, "Rio Grande Polytechnic"),
		at(0, 54, 358, 10, false, "SIEM, Incident response, Threat hunting"),
	}
	// A true sidebar: the main column has headings of its own, and a date
	// in the sidebar sits on a baseline of the main column by chance.
	sidebarPage := []layout.Line{
		at(1, 18, 100, 12.5, true, "Education"),
		at(1, 18, 120, 10, false, "2012 – 2016"),
		at(1, 18, 134, 10, false, "B.S. in Biology, Lakeside University"),
		at(2, 214, 60, 22, true, "Noor A. Haddad"),
		at(2, 214, 100, 12.5, true, "Summary"),
		at(2, 214, 120, 10, false, "Security operations lead."),
		at(2, 214, 150, 12.5, true, "Experience"),
		at(2, 214, 170, 11, false, "SOC Analyst, Border Energy Cooperative   2016 – 2020"),
	}
	tests := []struct {
		name            string
		lines           []layout.Line
		text, sections  string
		education, orgs string
	}{
		{"a date column split off is read in rows", tableSplit,
			"Noor A. Haddad|noor.haddad@example.com | (915) 555-0100|Experience|03/2020 - 10/2026 Security Operations Manager|Border Energy Cooperative|01/2016 - 02/2020 SOC Analyst|" +
				"Border Energy Cooperative|Triaged alerts and wrote runbooks.|Education|2015   Bachelor of Applied Science, Information Assurance|Rio Grande Polytechnic|Certifications|GCIH|Skills|SIEM, Incident response, Threat hunting",
			"header: | experience:Experience | education:Education | certifications:Certifications | skills:Skills",
			"bachelor|Information Assurance|Rio Grande Polytechnic|2015", "Border Energy Cooperative|Border Energy Cooperative"},
		{"a sidebar is left as it is", sidebarPage,
			"Education|2012 – 2016|B.S. in Biology, Lakeside University|Noor A. Haddad|Summary|Security operations lead.|Experience|SOC Analyst, Border Energy Cooperative   2016 – 2020",
			"education:Education | header: | summary:Summary | experience:Experience",
			"bachelor|Biology|Lakeside University|2016", "Border Energy Cooperative"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := buildLines(t, tc.lines)
			if got := strings.ReplaceAll(r.Text, "\n", "|"); got != tc.text {
				t.Errorf("text:\n%s\nwant:\n%s", got, tc.text)
			}
			if got := sectionKinds(r); got != tc.sections {
				t.Errorf("sections = %s; want %s", got, tc.sections)
			}
			var es, os []string
			for _, e := range r.Education {
				es = append(es, eduString(e))
			}
			for _, p := range r.Positions {
				os = append(os, p.Organization)
			}
			if got := strings.Join(es, "\n"); got != tc.education {
				t.Errorf("education = %q; want %q", got, tc.education)
			}
			if got := strings.Join(os, "|"); got != tc.orgs {
				t.Errorf("organizations = %q; want %q", got, tc.orgs)
			}
		})
	}
}

func TestCertifications(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"section list", []string{"Certifications", "CISSP, CISM, CRISC", "CompTIA Security+ (2019)", "Certified Protection Professional (CPP)"}, "CISSP CISM CRISC Security+ CPP"},
		{"full names anywhere", []string{"Experience", "Earned the Certified Information Systems Security Professional credential."}, "CISSP"},
		{"CPP the certification, not the language", []string{"Skills", "C, cpp, C++, Python"}, ""},
		{"CPP in a certifications section", []string{"Certifications", "CPP, PSP"}, "CPP PSP"},
		{"CISA the agency", []string{"Experience", "Worked with CISA and FBI on incident reports.", "Skills", "CISA KEV, NIST CSF"}, ""},
		{"CISA the certification", []string{"Certifications", "CISA"}, "CISA"},
		{"CISA with certified on the line", []string{"Summary", "ISACA-certified CISA with ten years in audit."}, "CISA"},
		{"header credentials", []string{"Jordan Smith, CISSP, CISM", "jordan@example.com"}, "CISSP CISM"},
		{"in progress is not held", []string{"Certifications", "Security + (in progress)", "CEH Practical Preparation", "CCNA: Introduction to Networks course"}, ""},
		{"aws", []string{"Certifications", "AWS Certified Solutions Architect – Associate", "AWS Certified Cloud Practitioner"}, "AWS Certified Solutions Architect - Associate AWS Certified Cloud Practitioner"},
		{"privacy and iso", []string{"Certifications", "CIPP/US, CIPT", "ISO/IEC 27001 Lead Auditor"}, "CIPP/US CIPT ISO 27001 Lead Auditor"},
		{"ISO 27001 alone is a framework", []string{"Skills", "ISO 27001, NIST 800-53, SOC 2"}, ""},
		{"acronym glued to a word", []string{"Certifications", "CCNAv7 badge, CISSPs on staff"}, ""},
		{"bare A+ needs evidence", []string{"Skills", "Grades: A+ in networking"}, ""},
		{"A+ certified", []string{"Skills", "CompTIA A+ certified technician"}, "A+"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := buildLines(t, plain(tc.lines...))
			if got := strings.Join(r.Certifications, " "); got != tc.want {
				t.Errorf("certifications = %q; want %q", got, tc.want)
			}
		})
	}
}

func TestNormalizeCertification(t *testing.T) {
	for in, want := range map[string]string{
		"Certified Information Security Auditor, ISACA": "CISA",
		"Security +":                           "Security+",
		"Google Cyber Security":                "Google Cybersecurity Certificate",
		"AWS Solutions Architect Associate":    "AWS Certified Solutions Architect - Associate",
		"ITIL V3 Foundation":                   "ITIL",
		"Cisco Certified Network Professional": "CCNP",
		"JNCIA-Junos":                          "JNCIA",
		"Bar Method Fitness Instructor":        "",
	} {
		if got := normalizeCertification(in); got != want {
			t.Errorf("normalizeCertification(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestContact(t *testing.T) {
	tests := []struct {
		name  string
		lines []layout.Line
		want  Contact
	}{
		{"name, email, phone, links",
			plain("Jordan A. Smith", "Security Leader", "jordan.smith@example.com | (555) 201-4477 | linkedin.com/in/jordansmith", "GitHub: @jsmith-sec", "Experience", "Analyst, Acme 2015 – 2018"),
			Contact{Name: "Jordan A. Smith", Emails: []string{"jordan.smith@example.com"}, Phones: []string{"(555) 201-4477"}, Links: []string{"linkedin.com/in/jordansmith", "github.com/jsmith-sec"}}},
		{"international phone, credentials after the name",
			plain("Marie-Claire Dubois, CISSP", "+33 6 12 34 56 78 · marie@example.fr · https://example.fr/cv"),
			Contact{Name: "Marie-Claire Dubois", Emails: []string{"marie@example.fr"}, Phones: []string{"+33 6 12 34 56 78"}, Links: []string{"https://example.fr/cv"}}},
		{"prominent name below a title line",
			[]layout.Line{{Text: "Curriculum Vitae", Size: 11}, {Text: "Ana María López", Size: 24, Bold: true}, {Text: "Madrid, Spain 28001", Size: 10}, {Text: "Tel: 0034 912 345 678", Size: 10}},
			Contact{Name: "Ana María López", Phones: []string{"0034 912 345 678"}}},
		{"job title and heading are no names, dates and zip are no phones",
			plain("Security Operations Manager", "Tampa, FL 33647", "Experience", "Analyst, Acme   2015 – 2018", "Analyst, Beta   03/2012 - 06/2014"),
			Contact{}},
		{"name atop the main column, a sidebar read first",
			append(sidebar(),
				layout.Line{Text: "Morgan E. Lindqvist", Size: 22, Bold: true, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "Security Manager", Size: 12, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "Summary", Size: 12.5, Bold: true, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "Security manager with a background in operations and compliance.", Size: 10, Page: 1, Column: 2}),
			Contact{Name: "Morgan E. Lindqvist", Emails: []string{"morgan.lindqvist@example.com"}, Phones: []string{"+1 312 555 0199"}, Links: []string{"github.com/mlindqvist-example"}}},
		{"a name low in a column is no name",
			append(sidebar(),
				layout.Line{Text: "Summary", Size: 12.5, Bold: true, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "Security manager with a background in operations and compliance.", Size: 10, Page: 1, Column: 2},
				layout.Line{Text: "Experience", Size: 12.5, Bold: true, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "Security Manager   Feb 2025 – Present", Size: 11, Page: 1, Column: 2},
				layout.Line{Text: "Lakefront Payments Inc.", Size: 10, Page: 1, Column: 2},
				layout.Line{Text: "References", Size: 12.5, Bold: true, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "Avery Quinn Holt", Size: 10, Page: 1, Column: 2}),
			Contact{Emails: []string{"morgan.lindqvist@example.com"}, Phones: []string{"+1 312 555 0199"}, Links: []string{"github.com/mlindqvist-example"}}},
		{"name split over two large lines",
			append(sidebar(),
				layout.Line{Text: "AMARA", Size: 30, Bold: true, Page: 1, Column: 2, Block: true},
				layout.Line{Text: "LINDGREN", Size: 30, Bold: true, Page: 1, Column: 2},
				layout.Line{Text: "SOFTWARE ENGINEER", Size: 16, Page: 1, Column: 2, Block: true}),
			Contact{Name: "AMARA LINDGREN", Emails: []string{"morgan.lindqvist@example.com"}, Phones: []string{"+1 312 555 0199"}, Links: []string{"github.com/mlindqvist-example"}}},
		{"name repeated as a running header",
			[]layout.Line{
				{Text: "Kiran Mehta", Size: 20, Bold: true, Page: 1}, {Text: "kiran.mehta@example.com", Size: 10, Page: 1},
				{Text: "Experience", Size: 12, Bold: true, Page: 1}, {Text: "Analyst, Acme Corp   2015 – 2018", Size: 10, Page: 1},
				{Text: "• Ran audits.", Size: 10, Page: 1, List: true}, {Text: "• Wrote reports.", Size: 10, Page: 1, List: true},
				{Text: "• Trained staff.", Size: 10, Page: 1, List: true}, {Text: "• Kept records.", Size: 10, Page: 1, List: true},
				{Text: "Kiran Mehta", Size: 9, Page: 2}, {Text: "Education", Size: 12, Bold: true, Page: 2},
				{Text: "B.S. in Biology, Lakeside University, 2010", Size: 10, Page: 2}},
			Contact{Name: "Kiran Mehta", Emails: []string{"kiran.mehta@example.com"}}},
		{"surname that is also a particle",
			plain("Anil Das", "anil.das@example.com"),
			Contact{Name: "Anil Das", Emails: []string{"anil.das@example.com"}}},
		{"letter-spaced name",
			plain("J A N E   D O E", "jane@example.org"),
			Contact{Name: "JANE DOE", Emails: []string{"jane@example.org"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := buildLines(t, tc.lines).Contact
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("contact = %+v; want %+v", got, tc.want)
			}
		})
	}
}

// sidebar returns the lines of a dark sidebar as a reader gives them
// before the main column: contact, education and skills, in column 1 of
// page 1.
func sidebar() []layout.Line {
	var ls []layout.Line
	add := func(size float64, bold bool, texts ...string) {
		for _, t := range texts {
			ls = append(ls, layout.Line{Text: t, Size: size, Bold: bold, Page: 1, Column: 1})
		}
	}
	add(12.5, true, "Contact")
	add(9, false, "morgan.lindqvist@example.com", "+1 312 555 0199", "Chicago, IL", "github.com/mlindqvist-example")
	add(12.5, true, "Education")
	add(10, true, "Bachelor of Science in Cybersecurity")
	add(9.5, false, "Midwest Lakes University, 2016")
	add(12.5, true, "Skills")
	add(10, false, "SIEM (Splunk)", "Firewall management", "Incident response", "Identity and access management", "Python scripting")
	return ls
}

func TestBuildEndToEnd(t *testing.T) {
	lines := []layout.Line{
		{Text: "Robin Q. Okafor", Size: 22, Bold: true, Page: 1},
		{Text: "Chief Information Security Officer · robin.okafor@example.com · +1 415 555 0134", Size: 10, Page: 1},
		{Text: "SUMMARY", Size: 12, Bold: true, Caps: true, Page: 1, Gap: 14},
		{Text: "CISSP-certified security executive; Master's degree in Cybersecurity.", Size: 10, Page: 1},
		{Text: "EXPERIENCE", Size: 12, Bold: true, Caps: true, Page: 1, Gap: 14},
		{Text: "Chief Information Security Officer, Tailspin Health   Mar 2021 – Present", Size: 10, Bold: true, Page: 1},
		{Text: "Built a 12-person security team and a $4M budget; HIPAA and SOC 2 programs.", Size: 10, List: true, Page: 1},
		{Text: "Director of Security Operations, Woodgrove Bank   2016 – 2021", Size: 10, Bold: true, Page: 1},
		{Text: "Ran the SOC and incident response.", Size: 10, List: true, Page: 1},
		{Text: "EDUCATION", Size: 12, Bold: true, Caps: true, Page: 2, Gap: 14},
		{Text: "M.S. Cybersecurity, Northwind University, 2015", Size: 10, Page: 2},
		{Text: "B.A. Economics, Contoso College, 2009", Size: 10, Page: 2},
		{Text: "CERTIFICATIONS", Size: 12, Bold: true, Caps: true, Page: 2, Gap: 14},
		{Text: "CISSP · CISM · CPP", Size: 10, Page: 2},
	}
	res := &Resume{AsOf: testAsOf}
	build(res, &layout.Document{Pages: 2, Lines: lines, Hidden: []layout.Hidden{{Text: "CISSP CISSP CISSP", Reason: layout.ReasonWhiteText, Page: 1}}})
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %q", res.Warnings)
	}
	if strings.Contains(res.Text, "CISSP CISSP") || len(res.HiddenText) != 1 {
		t.Errorf("hidden text leaked into Text or was lost: %+v", res.HiddenText)
	}
	if got, want := sectionKinds(res), "header: | summary:SUMMARY | experience:EXPERIENCE | education:EDUCATION | certifications:CERTIFICATIONS"; got != want {
		t.Errorf("sections = %s; want %s", got, want)
	}
	for _, s := range res.Sections {
		if s.Heading != "" && !strings.HasPrefix(res.Text[s.Start:s.End], s.Heading) {
			t.Errorf("section %q starts %q", s.Heading, res.Text[s.Start:min(s.End, s.Start+20)])
		}
	}
	var ps []string
	for _, p := range res.Positions {
		ps = append(ps, posString(p))
		if !strings.HasPrefix(res.Text[p.Offset:], p.Title) {
			t.Errorf("position %q: offset %d points at %q", p.Title, p.Offset, res.Text[p.Offset:min(len(res.Text), p.Offset+30)])
		}
	}
	if got, want := strings.Join(ps, "\n"), "Chief Information Security Officer @ Tailspin Health 2021-03..now 69\nDirector of Security Operations @ Woodgrove Bank 2016-01..2020-12 60"; got != want {
		t.Errorf("positions:\n%s\nwant:\n%s", got, want)
	}
	if res.ExperienceMonths != 129 {
		t.Errorf("ExperienceMonths = %d; want 129", res.ExperienceMonths)
	}
	var es []string
	for _, e := range res.Education {
		es = append(es, eduString(e))
	}
	if got, want := strings.Join(es, "\n"), "master|Cybersecurity|Northwind University|2015\nbachelor|Economics|Contoso College|2009"; got != want {
		t.Errorf("education:\n%s\nwant:\n%s", got, want)
	}
	if got, want := strings.Join(res.Certifications, " "), "CISSP CISM CPP"; got != want {
		t.Errorf("certifications = %q; want %q", got, want)
	}
	if res.Contact.Name != "Robin Q. Okafor" || len(res.Contact.Emails) != 1 || len(res.Contact.Phones) != 1 {
		t.Errorf("contact = %+v", res.Contact)
	}
}

func TestBuildEmpty(t *testing.T) {
	for _, d := range []*layout.Document{nil, {}, {Lines: plain("", "   ", "\u200b")}} {
		res := &Resume{AsOf: testAsOf}
		build(res, d)
		if res.Text != "" || len(res.Sections) != 0 || len(res.Warnings) != 0 {
			t.Errorf("build(%v): text %q, sections %v, warnings %v; want nothing", d, res.Text, res.Sections, res.Warnings)
		}
	}
}

func TestLexiconLoads(t *testing.T) {
	if _, err := parseLexicon(); err != nil {
		t.Fatal(err)
	}
}

func FuzzBuild(f *testing.F) {
	f.Add("Jane Doe\nExperience\nAnalyst, Acme Corp   Jan 2019 – Present\n• Led audits\nEducation\nB.S. Biology, 2015")
	f.Add("W O R K\n2019 -\n- 2020\nto\nCISSP, CPP\n(555) 201-2019\nÉducation: Licence\n\f2")
	f.Add("June 2013\nto\nMarch 2016\nCompany Name City , State Floral designer")
	f.Fuzz(func(t *testing.T, s string) {
		var lines []layout.Line
		for i, l := range strings.Split(s, "\n") {
			// Columns and baselines vary so that column repair (mendDateColumns)
			// and column ranks (name) run too.
			lines = append(lines, layout.Line{Text: l, Page: 1 + i/20, Level: i % 3 / 2, Bold: i%4 == 0, Size: float64(10 + i%3), Column: i / 4 % 3, Y: float64(i % 6 * 12)})
		}
		res := &Resume{AsOf: testAsOf}
		structure(res, &layout.Document{Lines: lines}) // no recover: a panic fails
		for _, sec := range res.Sections {
			if sec.Start < 0 || sec.End > len(res.Text) || sec.Start > sec.End {
				t.Fatalf("section span %d..%d outside %d bytes", sec.Start, sec.End, len(res.Text))
			}
		}
		for _, p := range res.Positions {
			if p.Months < 0 || p.Offset < 0 || p.Offset > len(res.Text) {
				t.Fatalf("bad position %+v", p)
			}
		}
		if res.ExperienceMonths < 0 {
			t.Fatalf("negative experience %d", res.ExperienceMonths)
		}
	})
}

// benchResume is a synthetic two-page resume.
func benchResume() []layout.Line {
	var ls []layout.Line
	add := func(page int, size float64, bold bool, texts ...string) {
		for _, t := range texts {
			ls = append(ls, layout.Line{Text: t, Page: page, Size: size, Bold: bold})
		}
	}
	add(1, 22, true, "Robin Q. Okafor")
	add(1, 10, false, "robin.okafor@example.com | +1 415 555 0134 | linkedin.com/in/robinokafor")
	add(1, 12, true, "PROFESSIONAL SUMMARY")
	add(1, 10, false, "Security leader with 15 years building programs in healthcare and banking; CISSP, CISM.",
		"Owns budgets, board reporting, incident response and awareness training.")
	add(1, 12, true, "EXPERIENCE")
	jobs := []struct{ title, org, dates string }{
		{"Chief Information Security Officer", "Tailspin Health, Denver, CO", "Mar 2021 – Present"},
		{"Director of Security Operations", "Woodgrove Bank, Seattle, WA", "Jan 2016 – Feb 2021"},
		{"Security Manager", "Contoso Ltd", "2012 – 2016"},
		{"Senior Security Analyst", "Fabrikam Inc", "06/2009 - 12/2011"},
		{"Network Administrator", "Litware Inc", "Sept. 2006 to May 2009"},
		{"IT Support Technician", "Alpine Ski House", "Summer 2005"},
	}
	for i, j := range jobs {
		page := 1 + i/3
		add(page, 10, true, j.title+"   "+j.dates)
		add(page, 10, false, j.org)
		for k := 0; k < 6; k++ {
			add(page, 10, false, fmt.Sprintf("• Led initiative %d: reduced incidents by %d%% across %d sites with NIST CSF and ISO 27001 controls.", k, 10+k, 3+k))
		}
	}
	add(2, 12, true, "EDUCATION")
	add(2, 10, false, "M.S. Cybersecurity, Northwind University, 2012", "B.A. Economics, Contoso College, 2005")
	add(2, 12, true, "CERTIFICATIONS")
	add(2, 10, false, "CISSP · CISM · CRISC · CompTIA Security+ · ITIL v3 Foundation")
	add(2, 12, true, "SKILLS")
	add(2, 10, false, "SIEM (Splunk, Sentinel), IAM, DLP, EDR, HIPAA, SOX, PCI DSS, GLBA, FISMA", "Python, PowerShell, Terraform, AWS, Azure")
	return ls
}

func BenchmarkBuild(b *testing.B) {
	d := &layout.Document{Pages: 2, Lines: benchResume()}
	for b.Loop() {
		res := &Resume{AsOf: testAsOf}
		build(res, d)
		if len(res.Positions) != 6 {
			b.Fatalf("positions = %d; want 6", len(res.Positions))
		}
	}
}

// TestHeadlessEducation: in a resume without headings, a degree after the
// first position is still education, though the body is inferred to be
// experience.
func TestHeadlessEducation(t *testing.T) {
	r := buildLines(t, plain("Jane Doe", "jane@example.com",
		"Security Manager, State Agency 2019 - 2022", "Supervise a team of five analysts",
		"B.S. Information Systems, Lakeside University, 2012"))
	if got := sectionKinds(r); got != "header: | experience:" {
		t.Fatalf("sections = %s; want header: | experience:", got)
	}
	if len(r.Education) != 1 || r.Education[0].Level != LevelBachelor {
		t.Errorf("education = %+v; want one bachelor's degree", r.Education)
	}
}

func TestMonthsAsOf(t *testing.T) {
	m := func(y, mo int) Month { return Month{y, mo} }
	end := m(2020, 6)
	tests := []struct {
		p    Position
		asOf Month
		want int
	}{
		{Position{Start: m(2019, 1), End: &end, Months: 18}, m(2026, 11), 18},
		{Position{Start: m(2019, 1), End: &end, Months: 18}, m(2019, 12), 12}, // re-dated before its end
		{Position{Start: m(2025, 2), Current: true, Months: 22}, m(2026, 11), 22},
		{Position{Start: m(2025, 2), Current: true, Months: 22}, m(2027, 1), 24},
		{Position{Start: m(2027, 1), Current: true}, m(2026, 11), 0},
		{Position{}, m(2026, 11), 0},
	}
	for _, tt := range tests {
		if got := tt.p.MonthsAsOf(tt.asOf); got != tt.want {
			t.Errorf("%+v.MonthsAsOf(%s) = %d; want %d", tt.p, tt.asOf, got, tt.want)
		}
	}
	// A zero as-of month trusts each position's own count.
	ps := []Position{{Start: m(2020, 1), Current: true, Months: 10}, {Start: m(2020, 6), Current: true, Months: 10}}
	if got := ExperienceMonths(ps, Month{}); got != 15 {
		t.Errorf("ExperienceMonths(overlapping, zero as-of) = %d; want 15 (2020-01 to 2021-03)", got)
	}
}
