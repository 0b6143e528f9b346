package rules

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"sift/parser"
)

// checkEvidence checks the Evidence contract on every outcome: Text is
// exactly the span it names, Context contains it, and evidence is ordered.
func checkEvidence(t *testing.T, res *parser.Resume, r Result) {
	t.Helper()
	for _, o := range r.Requirements {
		for i, e := range o.Evidence {
			if e.Start < 0 || e.End > len(res.Text) || e.Start > e.End || res.Text[e.Start:e.End] != e.Text {
				t.Errorf("%s: evidence %d: got text %q at [%d,%d); want the text of that span", o.ID, i, e.Text, e.Start, e.End)
			}
			if !strings.Contains(e.Context, e.Text) {
				t.Errorf("%s: evidence %d: context %q does not contain %q", o.ID, i, e.Context, e.Text)
			}
			if i > 0 && o.Evidence[i-1].Start > e.Start {
				t.Errorf("%s: evidence not ordered by offset: %d before %d", o.ID, o.Evidence[i-1].Start, e.Start)
			}
		}
	}
}

func TestEvaluateCSO(t *testing.T) {
	p := mustBuiltin(t, "cso")
	type want struct {
		status, gap string
		credit      float64
		failed      bool
	}
	tests := []struct {
		name      string
		res       *parser.Resume
		score     float64 // checked when > 0
		maxScore  float64 // checked when > 0
		qualified bool
		tier      string
		knockouts []string
		outcomes  map[string]want
	}{
		{
			name: "strong", res: strongCSO(), score: 100, qualified: true, tier: "strong", knockouts: []string{},
			outcomes: map[string]want{
				"degree":              {status: StatusMet, credit: 1},
				"security_experience": {status: StatusMet, credit: 1},
				"laws":                {status: StatusMet, credit: 1},
				"leadership":          {status: StatusMet, credit: 1},
				"certifications":      {status: StatusMet, credit: 1},
			},
		},
		{
			name: "near miss on years", res: nearMiss(), score: 75.1, qualified: false, tier: "possible",
			knockouts: []string{"security_experience"},
			outcomes: map[string]want{
				"security_experience": {status: StatusPartial, credit: 0.6111, failed: true,
					gap: "needs 14 more months in a security-management role (has 22 of 36)"},
				"degree": {status: StatusMet, credit: 1},
				"laws": {status: StatusPartial, credit: 0.6667,
					gap: "names 2 of 3 laws; none of HITECH, GLBA, FISMA, FERPA, COPPA, ... found"},
			},
		},
		{
			name: "no degree", res: noDegree(), qualified: false, tier: "possible", knockouts: []string{"degree"},
			outcomes: map[string]want{
				"degree": {status: StatusMissing, credit: 0, failed: true,
					gap: "no completed bachelor's degree found (highest: associate); in progress, not counted: M.S. Cybersecurity (Online University, expected 2026)"},
				"security_experience": {status: StatusMet, credit: 1},
				"certifications":      {status: StatusMissing, gap: "none of CISSP, CISM, CPP, CISA, CRISC, CCSP, PSP found"},
			},
		},
		{
			name: "not a security candidate", res: pastryChef(), maxScore: 10, qualified: false, tier: "no",
			knockouts: []string{"degree", "security_experience"},
			outcomes: map[string]want{
				"security_experience": {status: StatusMissing, failed: true, gap: "needs 36 more months in a security-management role (has 0 of 36)"},
				"laws":                {status: StatusMissing, gap: "names 0 of 3 laws; none of HIPAA, HITECH, GLBA, SOX, FISMA, ... found"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := evaluate(t, p, tt.res)
			if tt.score > 0 && r.Score != tt.score {
				t.Errorf("score: got %v; want %v", r.Score, tt.score)
			}
			if tt.maxScore > 0 && r.Score > tt.maxScore {
				t.Errorf("score: got %v; want at most %v", r.Score, tt.maxScore)
			}
			if r.Qualified != tt.qualified || r.Tier != tt.tier || !slices.Equal(r.KnockoutsFailed, tt.knockouts) {
				t.Errorf("got qualified %v tier %q knockouts %v; want %v %q %v", r.Qualified, r.Tier, r.KnockoutsFailed, tt.qualified, tt.tier, tt.knockouts)
			}
			for id, w := range tt.outcomes {
				o := outcome(t, r, id)
				if o.Status != w.status || o.Credit != w.credit || o.Failed != w.failed {
					t.Errorf("%s: got %s credit %v failed %v; want %s credit %v failed %v (detail: %s)", id, o.Status, o.Credit, o.Failed, w.status, w.credit, w.failed, o.Detail)
				}
				if o.Gap != w.gap {
					t.Errorf("%s: got gap %q; want %q", id, o.Gap, w.gap)
				}
			}
			checkScore(t, p, r)
			checkEvidence(t, tt.res, r)
			if r.Profile.ID != "cso" || r.Profile.Hash != p.Hash() || r.AsOf != tt.res.AsOf || r.Version != "test" || r.File != tt.res.File {
				t.Errorf("got profile %+v as of %v version %q file %q; want cso/%s, %v, test, %s", r.Profile, r.AsOf, r.Version, r.File, p.Hash(), tt.res.AsOf, tt.res.File)
			}
		})
	}
}

// checkScore checks the arithmetic a recruiter would redo: points and
// score from the weights and credits.
func checkScore(t *testing.T, p *Profile, r Result) {
	t.Helper()
	var sumW, earned, points float64
	for _, o := range r.Requirements {
		sumW += o.Weight
		earned += o.Weight * o.Credit
		points += o.Points
		if o.Status == StatusMet && o.Gap != "" {
			t.Errorf("%s: met, but gap %q; want none", o.ID, o.Gap)
		}
		if o.Status != StatusMet && o.Gap == "" {
			t.Errorf("%s: %s without a gap", o.ID, o.Status)
		}
		if o.Detail == "" {
			t.Errorf("%s: no detail", o.ID)
		}
		if want := math.Round(10000*o.Weight*o.Credit/sumWeights(p)) / 100; o.Points != want {
			t.Errorf("%s: got points %v; want %v", o.ID, o.Points, want)
		}
	}
	if want := math.Round(1000*earned/sumW) / 10; r.Score != want {
		t.Errorf("score: got %v; want %v from the outcomes", r.Score, want)
	}
	if math.Abs(points-r.Score) > 0.1 {
		t.Errorf("points sum to %v; score is %v", points, r.Score)
	}
}

func sumWeights(p *Profile) float64 {
	var s float64
	for _, r := range p.Requirements {
		s += r.Weight
	}
	return s
}

const experienceProfile = `id: exp
requirements:
  - id: years
    requirement: Three years as a security manager
    kind: experience
    weight: 1
    knockout: true
    category: security_management
    label: security-management role
    titles: [security manager, director of security]
    exclude: [guard]
    min_months: 36
`

func TestOverlappingPositions(t *testing.T) {
	p := mustParse(t, experienceProfile)
	tests := []struct {
		name   string
		build  func() *parser.Resume
		credit float64
		gap    string
		detail string
	}{
		{
			name: "overlap counted once",
			build: func() *parser.Resume {
				r := newResume("overlap.txt", "2025-06")
				r.section(parser.KindExperience, "EXPERIENCE").
					position("Security Manager", "North", "2020-01", "2021-12").     // 24 months
					position("Director of Security", "South", "2021-01", "2022-12"). // 24, 12 of them shared
					position("Security Guard", "West", "2019-01", "2019-12")         // excluded
				return r.build()
			},
			credit: 1,
			detail: "36 months in security-management roles: Security Manager, North (2020-01 to 2021-12); Director of Security, South (2021-01 to 2022-12)",
		},
		{
			name: "contained position adds nothing",
			build: func() *parser.Resume {
				r := newResume("contained.txt", "2025-06")
				r.section(parser.KindExperience, "EXPERIENCE").
					position("Security Manager", "North", "2020-01", "2021-12").
					position("Security Manager", "Side job", "2020-06", "2020-11")
				return r.build()
			},
			credit: 0.6667,
			gap:    "needs 12 more months in a security-management role (has 24 of 36)",
		},
		{
			name: "present is the as-of month",
			build: func() *parser.Resume {
				r := newResume("current.txt", "2025-06")
				r.section(parser.KindExperience, "EXPERIENCE").
					position("Security Manager", "North", "2024-01", "")
				res := r.build()
				res.Positions[0].Months = 3 // stale: counted when the parser ran
				return res
			},
			credit: 0.5, // 2024-01 to 2025-06: 18 months
			gap:    "needs 18 more months in a security-management role (has 18 of 36)",
		},
		{
			name: "undated and future positions do not count",
			build: func() *parser.Resume {
				r := newResume("undated.txt", "2025-06")
				r.section(parser.KindExperience, "EXPERIENCE").
					position("Security Manager", "North", "2024-01", "2024-12").
					position("Director of Security", "Later", "2025-09", "") // starts after the as-of month
				res := r.build()
				res.Positions[1].Months = 0 // as the parser stores it
				res.Positions = append(res.Positions, parser.Position{Title: "Director of Security", Organization: "East", Offset: -1})
				return res
			},
			credit: 0.3333,
			detail: "12 months in security-management roles: Security Manager, North (2024-01 to 2024-12); Director of Security, Later (2025-09 to present); Director of Security, East (2 positions without usable dates, not counted)",
			gap:    "needs 24 more months in a security-management role (has 12 of 36); 2 matching positions without usable dates not counted",
		},
		{
			name: "nothing after the as-of month",
			build: func() *parser.Resume {
				r := newResume("late.txt", "2025-06")
				r.section(parser.KindExperience, "EXPERIENCE").
					position("Security Manager", "North", "2023-01", "2026-12")
				return r.build()
			},
			credit: 0.8333, // 2023-01 to 2025-06: 30 months
			gap:    "needs 6 more months in a security-management role (has 30 of 36)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.build()
			r := evaluate(t, p, res)
			o := r.Requirements[0]
			if o.Credit != tt.credit || o.Gap != tt.gap {
				t.Errorf("got credit %v gap %q; want %v %q (detail: %s)", o.Credit, o.Gap, tt.credit, tt.gap, o.Detail)
			}
			if tt.detail != "" && o.Detail != tt.detail {
				t.Errorf("got detail %q; want %q", o.Detail, tt.detail)
			}
			if o.Failed != (tt.credit < 1) || r.Qualified != (tt.credit == 1) {
				t.Errorf("got failed %v qualified %v for credit %v", o.Failed, r.Qualified, o.Credit)
			}
			checkEvidence(t, res, r)
		})
	}
}

func TestStepCurveAndSignals(t *testing.T) {
	p := mustParse(t, experienceProfile+`    curve: step
  - id: lead
    requirement: Managing a team
    kind: experience
    weight: 1
    category: security_management
    min_months: 12
    signals:
      share: 0.5
      noun: leadership signals
      groups:
        - name: team size
          aliases: [team of, direct reports]
        - name: led
          aliases: [led, managed]
`)
	r := newResume("signals.txt", "2025-06")
	r.section(parser.KindSummary, "SUMMARY").lines("Led a team of 40 volunteers at the food bank.") // not in a security role
	r.section(parser.KindExperience, "EXPERIENCE").
		position("Security Manager", "North", "2024-01", "2024-12", "Managed guard contracts.").
		position("Barista", "Cafe", "2020-01", "2023-12", "Trained a team of 5.")
	res := r.build()
	got := evaluate(t, p, res)
	years, lead := got.Requirements[0], got.Requirements[1]
	if years.Credit != 0 || years.Status != StatusMissing {
		t.Errorf("step curve: got credit %v %s; want 0 missing below the minimum", years.Credit, years.Status)
	}
	// months 12 of 12: 0.5; signals 1 of 2 (led, in the security position): 0.25.
	if lead.Credit != 0.75 {
		t.Errorf("signals: got credit %v; want 0.75 (detail: %s)", lead.Credit, lead.Detail)
	}
	wantGap := "names 1 of 2 leadership signals in security-management roles; none of team size found"
	if lead.Gap != wantGap {
		t.Errorf("got gap %q; want %q", lead.Gap, wantGap)
	}
	for _, e := range lead.Evidence {
		if e.Term == "led" && e.Text != "Managed" {
			t.Errorf("signal evidence %q; want only the one inside the security position", e.Text)
		}
	}
	checkEvidence(t, res, got)
}

const degreeProfile = `id: deg
requirements:
  - id: degree
    requirement: Bachelor's in IT or a related field
    kind: degree
    weight: 1
    knockout: true
    min_level: bachelor
    fields: [information technology, computer science]
    related_fields: [engineering]
    related_credit: 0.8
    other_field_credit: 0.4
    higher_level_credit: 0.6
`

func TestDegree(t *testing.T) {
	p := mustParse(t, degreeProfile)
	ed := func(level, degree, field string, inProgress bool) parser.Education {
		return parser.Education{Level: level, Degree: degree, Field: field, Institution: "Uni", Year: 2010, InProgress: inProgress}
	}
	tests := []struct {
		name   string
		eds    []parser.Education
		credit float64
		failed bool
		gap    string
	}{
		{"accepted field", []parser.Education{ed("bachelor", "B.S.", "Computer Science", false)}, 1, false, ""},
		{"field in the degree's name", []parser.Education{ed("bachelor", "Bachelor of Science in Information Technology", "", false)}, 1, false, ""},
		{"related field", []parser.Education{ed("bachelor", "B.S.", "Mechanical Engineering", false)}, 0.8, false,
			"bachelor's degree is in Mechanical Engineering, a related field (credit 0.8); full credit for information technology or computer science"},
		{"other field", []parser.Education{ed("bachelor", "B.A.", "History", false)}, 0.4, false,
			"bachelor's degree is in History, not an accepted or related field (credit 0.4); full credit for information technology or computer science"},
		{"higher level, other field", []parser.Education{ed("bachelor", "B.A.", "History", false), ed("master", "M.A.", "History", false)}, 0.6, false,
			"master's degree is in History, not an accepted or related field, above the minimum level (credit 0.6); full credit for information technology or computer science"},
		{"field not stated", []parser.Education{ed("bachelor", "B.A.", "", false)}, 0.4, false,
			"field of study of the bachelor's degree not stated; full credit for information technology or computer science"},
		{"best degree counts", []parser.Education{ed("master", "MBA", "Business Administration", false), ed("bachelor", "B.S.", "Computer Science", false)}, 1, false, ""},
		{"below the level", []parser.Education{ed("associate", "A.S.", "Information Technology", false)}, 0, true,
			"no completed bachelor's degree found (highest: associate)"},
		{"in progress not counted", []parser.Education{ed("bachelor", "B.S.", "Computer Science", true)}, 0, true,
			"no completed bachelor's degree found (none listed); in progress, not counted: B.S. Computer Science (Uni, expected 2010)"},
		{"none", nil, 0, true, "no completed bachelor's degree found (none listed)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newResume("degree.txt", "2025-06")
			b.section(parser.KindEducation, "EDUCATION")
			for _, e := range tt.eds {
				b.degree(e, describeDegree(e))
			}
			res := b.build()
			r := evaluate(t, p, res)
			o := r.Requirements[0]
			if o.Credit != tt.credit || o.Failed != tt.failed || o.Gap != tt.gap {
				t.Errorf("got credit %v failed %v gap %q; want %v %v %q", o.Credit, o.Failed, o.Gap, tt.credit, tt.failed, tt.gap)
			}
			if tt.credit > 0 && len(o.Evidence) != 1 {
				t.Errorf("got evidence %v; want the degree's line", o.Evidence)
			}
			checkEvidence(t, res, r)
		})
	}
}

func TestTermsCaseSensitive(t *testing.T) {
	p := mustParse(t, `id: terms
requirements:
  - id: cpp_exact
    requirement: The CPP certification, named as such
    kind: terms
    weight: 1
    knockout: true
    groups:
      - name: CPP
        aliases: [CPP]
        case_sensitive: true
  - id: cpp_acronym
    requirement: Same, as an acronym
    kind: terms
    weight: 1
    groups:
      - name: CPP certification
        aliases: [Certified Protection Professional]
        acronyms: [CPP]
  - id: cpp_any
    requirement: The letters in any case
    kind: terms
    weight: 1
    groups:
      - name: cpp anycase
        aliases: [cpp]
  - id: skills_only
    requirement: Named among skills
    kind: terms
    weight: 1
    sections: [skills]
    groups:
      - name: C++
`)
	tests := []struct {
		name string
		text []string
		met  map[string]bool
	}{
		{"lower case is a language", []string{"Wrote firmware in cpp and C++ for door controllers."},
			map[string]bool{"cpp_exact": false, "cpp_acronym": false, "cpp_any": true, "skills_only": false}},
		{"upper case is the certification", []string{"CPP (ASIS International), 2019."},
			map[string]bool{"cpp_exact": true, "cpp_acronym": true, "cpp_any": true, "skills_only": false}},
		{"spelled out", []string{"Certified Protection Professional, 2019."},
			map[string]bool{"cpp_exact": false, "cpp_acronym": true, "cpp_any": false, "skills_only": false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newResume("cpp.txt", "2025-06").lines("C++ Developer") // header: not a skill
			b.section(parser.KindOther, "NOTES").lines(tt.text...)
			res := b.build()
			r := evaluate(t, p, res)
			for id, want := range tt.met {
				if got := outcome(t, r, id).Status == StatusMet; got != want {
					t.Errorf("%s met = %v; want %v", id, got, want)
				}
			}
			if got := slices.Contains(r.KnockoutsFailed, "cpp_exact"); got == tt.met["cpp_exact"] {
				t.Errorf("cpp_exact knockout failed = %v; want %v", got, !tt.met["cpp_exact"])
			}
			checkEvidence(t, res, r)
		})
	}
}

func TestCertification(t *testing.T) {
	p := mustParse(t, `id: certs
requirements:
  - id: certs
    requirement: A security certification
    kind: certification
    weight: 1
    knockout: true
    certifications:
      - name: CISSP
        aliases: [Certified Information Systems Security Professional]
      - name: CPP
      - name: CCSP
        credit: 0.6
      - name: Security+
        credit: 0.3
`)
	tests := []struct {
		name   string
		certs  []string
		credit float64
		gap    string
	}{
		{"best, not a sum", []string{"Security+", "CCSP"}, 0.6, "has CCSP (credit 0.6); CISSP or CPP would give full credit"},
		{"leading token", []string{"CPP – Certified Protection Professional"}, 1, ""},
		{"concentration implies the CISSP", []string{"CISSP-ISSMP"}, 1, ""},
		{"alias, any case", []string{"certified information systems security professional"}, 1, ""},
		{"none", []string{"PMP"}, 0, "none of CISSP, CPP, CCSP, Security+ found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newResume("certs.txt", "2025-06")
			b.section(parser.KindCertifications, "CERTIFICATIONS").lines(tt.certs...).certs(tt.certs...)
			res := b.build()
			r := evaluate(t, p, res)
			o := r.Requirements[0]
			if o.Credit != tt.credit || o.Gap != tt.gap || o.Failed != (tt.credit == 0) {
				t.Errorf("got credit %v gap %q failed %v; want %v %q %v", o.Credit, o.Gap, o.Failed, tt.credit, tt.gap, tt.credit == 0)
			}
			if tt.credit > 0 && len(o.Evidence) == 0 {
				t.Errorf("no evidence; want where the certification is named")
			}
			checkEvidence(t, res, r)
		})
	}
}

const exprProfile = `id: expr
requirements:
  - id: years
    requirement: Security management
    kind: experience
    weight: 1
    category: security_management
    titles: [chief security officer, director of security]
    min_months: 36
  - id: laws
    requirement: Laws
    kind: terms
    weight: 1
    groups:
      - name: HIPAA
      - name: FISMA
`

func TestExpressions(t *testing.T) {
	tests := []struct {
		expr   string
		credit float64
		err    string // a substring of Evaluate's error
	}{
		{`"CISSP" in certifications`, 1, ""},
		{`"CISA" in certifications`, 0, ""},
		{`degree_level >= 2`, 1, ""},
		{`degrees.exists(d, d.field == "Computer Science" && d.level == "bachelor" && !d.in_progress && d.year == 2005)`, 1, ""},
		{`positions.size() == 2 && positions[0].current && positions[0].start == "2018-01" && positions[0].end == "" && positions[1].end == "2017-12"`, 1, ""},
		{`positions.exists(p, p.title.lowerAscii().contains("director") && p.months == 70)`, 1, ""},
		{`experience_months == 160 && as_of == "2025-06"`, 1, ""},
		{`months("security_management") >= 36 && "CISSP" in certifications`, 1, ""},
		{`double(months("security_management")) / 320.0`, 0.5, ""},
		{`has_term("HIPAA") && !has_term("FISMA")`, 1, ""},
		{`-1.5`, 0, ""},
		{`2.5`, 1, ""},
		{`months("security" + "_mgmt") > 0`, 0, `months: unknown category "security_mgmt" (categories: security_management)`},
		{`1 / (experience_months - experience_months) > 0`, 0, "division by zero"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			y := exprProfile + "  - id: rule\n    requirement: A rule\n    kind: expression\n    weight: 1\n    expression: '" + strings.ReplaceAll(tt.expr, "'", "''") + "'\n"
			p := mustParse(t, y)
			res := strongCSO()
			r, err := p.Evaluate(res, textMatcher{res})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got error %v; want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o := outcome(t, r, "rule"); o.Credit != tt.credit {
				t.Errorf("got credit %v; want %v (detail %s)", o.Credit, tt.credit, o.Detail)
			}
		})
	}
}

func TestExpressionLoadErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`has_term("GDPR")`, `has_term("GDPR"): unknown term group "GDPR"`},
		{`months("it_management") > 12 || months("security_management") > 12`, `months("it_management"): unknown category "it_management" (categories: security_management)`},
		{`contact.name == "x"`, "undeclared reference to 'contact'"},
		{`emails.size() > 0`, "undeclared reference to 'emails'"},
		{`score > 50`, "undeclared reference to 'score'"}, // filters only
		{`experience_months`, "must return bool or double, returns int"},
		{`experience_months >=`, "does not compile: 1:21: Syntax error"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			y := exprProfile + "  - id: rule\n    requirement: A rule\n    kind: expression\n    weight: 1\n    expression: '" + tt.expr + "'\n"
			_, err := ParseNamed("test.yaml", []byte(y), "yaml")
			if err == nil || !strings.Contains(err.Error(), "requirements[2].expression (line 21): ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v; want requirements[2].expression (line 21) and %q", err, tt.want)
			}
		})
	}
}

func TestFilter(t *testing.T) {
	p := mustBuiltin(t, "cso")
	strong, near := strongCSO(), nearMiss()
	rs, rn := evaluate(t, p, strong), evaluate(t, p, near)
	tests := []struct {
		expr         string
		strong, near bool
	}{
		{`months("security_management") >= 36`, true, false},
		{`score >= 70 && qualified`, true, false},
		{`tier == "possible" || "CISSP" in certifications && !qualified`, false, true},
		{`has_term("HIPAA") && degree_level >= 2`, true, true},
		{`positions.exists(p, p.title == "Security Manager")`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := p.CompileFilter(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				res  *parser.Resume
				r    *Result
				want bool
			}{{strong, &rs, tt.strong}, {near, &rn, tt.near}} {
				got, err := f.Match(c.res, c.r, textMatcher{c.res})
				if err != nil || got != c.want {
					t.Errorf("Match(%s) = %v, %v; want %v", c.res.File, got, err, c.want)
				}
			}
		})
	}

	f, err := p.CompileFilter(`score > 50`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Match(strong, nil, nil); !errors.Is(err, ErrNeedsResult) || !f.NeedsResult() {
		t.Errorf("Match without a result: got %v (NeedsResult %v); want ErrNeedsResult", err, f.NeedsResult())
	}
	f, err = p.CompileFilter(`experience_months > 100`)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := f.Match(strong, nil, nil); !ok || err != nil || f.NeedsResult() {
		t.Errorf("facts-only filter without a result: got %v, %v (NeedsResult %v); want true", ok, err, f.NeedsResult())
	}
	f, err = p.CompileFilter(`has_term("HIPAA")`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Match(strong, nil, nil); !errors.Is(err, ErrNoMatcher) {
		t.Errorf("has_term without a matcher: got %v; want ErrNoMatcher", err)
	}
	for _, bad := range []string{`1.5`, `months("nope") > 1`, `name == "Jordan"`, `score >`} {
		if _, err := p.CompileFilter(bad); !errors.Is(err, ErrInvalidFilter) {
			t.Errorf("CompileFilter(%q): got %v; want ErrInvalidFilter", bad, err)
		}
	}
	if _, err := p.CompileFilter(strings.Repeat("true && ", 1000) + "true"); !errors.Is(err, ErrInvalidFilter) {
		t.Errorf("oversized filter: got %v; want ErrInvalidFilter", err)
	}
}

// reversedMatcher returns its evidence in reverse order, to show the result
// does not depend on the order a Matcher answers in.
type reversedMatcher struct{ m Matcher }

func (r reversedMatcher) Match(q TermQuery) ([]Evidence, error) {
	ev, err := r.m.Match(q)
	slices.Reverse(ev)
	return ev, err
}

func TestDeterminism(t *testing.T) {
	p := mustBuiltin(t, "cso")
	resumes := []*parser.Resume{strongCSO(), nearMiss(), noDegree(), pastryChef()}
	want := make([]Result, len(resumes))
	for i, res := range resumes {
		want[i] = evaluate(t, p, res)
		if again := evaluate(t, p, res); !reflect.DeepEqual(again, want[i]) {
			t.Errorf("%s: second evaluation differs", res.File)
		}
		rev, err := (&Evaluator{Profile: p, Version: "test"}).Evaluate(res, reversedMatcher{textMatcher{res}})
		if err != nil || !reflect.DeepEqual(rev, want[i]) {
			t.Errorf("%s: evaluation with evidence in another order differs (err %v)", res.File, err)
		}
	}
	e := &Evaluator{Profile: p, Version: "test"}
	var wg sync.WaitGroup
	got := make([][]Result, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				got[g] = got[g][:0]
				for _, res := range resumes {
					r, err := e.Evaluate(res, textMatcher{res})
					if err != nil {
						t.Error(err)
						return
					}
					got[g] = append(got[g], r)
				}
			}
		}()
	}
	wg.Wait()
	wantJSON, _ := json.Marshal(want)
	for g := range got {
		if gotJSON, _ := json.Marshal(got[g]); string(gotJSON) != string(wantJSON) {
			t.Errorf("goroutine %d: results differ from the sequential ones", g)
		}
	}
}

// TestContactCounterfactual: a candidate's name, emails, phones and links
// do not change the result.
func TestContactCounterfactual(t *testing.T) {
	p := mustBuiltin(t, "cso")
	f, err := p.CompileFilter(`months("security_management") >= 36 && experience_months > 0`)
	if err != nil {
		t.Fatal(err)
	}
	for _, build := range []func() *parser.Resume{strongCSO, nearMiss, noDegree, pastryChef} {
		base := build()
		want := evaluate(t, p, base)
		wantMatch, _ := f.Match(base, &want, textMatcher{base})
		for _, c := range []parser.Contact{
			{},
			{Name: "Lakisha Washington", Emails: []string{"lakisha@example.org"}, Phones: []string{"+1 312 555 0199"}, Links: []string{"https://linkedin.com/in/lw"}},
			{Name: "Greg Baker", Emails: []string{"greg@example.net", "gb@example.com"}, Phones: []string{}, Links: []string{"github.com/gbaker"}},
			{Name: "Nguyễn Thị Minh Khai, CISSP, CISM", Emails: []string{"HIPAA-SOX@example.com"}, Phones: []string{"Director of Security"}},
		} {
			res := build()
			res.Contact = c
			got := evaluate(t, p, res)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: result changed with contact %+v", base.File, c)
			}
			if m, _ := f.Match(res, &got, textMatcher{res}); m != wantMatch {
				t.Errorf("%s: filter changed with contact %+v", base.File, c)
			}
		}
	}
}

func TestEvaluateErrors(t *testing.T) {
	p := mustBuiltin(t, "cso")
	res := strongCSO()
	if _, err := p.Evaluate(res, nil); !errors.Is(err, ErrNoMatcher) {
		t.Errorf("no matcher: got %v; want ErrNoMatcher", err)
	}
	if _, err := p.Evaluate(nil, textMatcher{res}); err == nil {
		t.Errorf("nil resume: got no error")
	}
	if _, err := (&Profile{}).Evaluate(res, textMatcher{res}); err == nil {
		t.Errorf("zero profile: got no error")
	}
	boom := errors.New("index closed")
	if _, err := p.Evaluate(res, failingMatcher{boom}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "requirement laws") {
		t.Errorf("matcher error: got %v; want it wrapped with the requirement", err)
	}
	// An empty resume (a scanned PDF with no text) is scored, not an error.
	r, err := p.Evaluate(&parser.Resume{File: "scan.pdf", Status: parser.StatusNoText}, textMatcher{&parser.Resume{}})
	if err != nil || r.Score != 0 || r.Tier != "no" || r.Qualified {
		t.Errorf("empty resume: got %v score %v tier %q qualified %v; want 0, no, false", err, r.Score, r.Tier, r.Qualified)
	}
}

type failingMatcher struct{ err error }

func (f failingMatcher) Match(TermQuery) ([]Evidence, error) { return nil, f.err }

// cachedMatcher answers from precomputed evidence, so that the benchmark
// measures rules rather than the test's matcher.
type cachedMatcher map[string][]Evidence

func (c cachedMatcher) Match(q TermQuery) ([]Evidence, error) {
	return c[q.Group+"\x00"+strings.Join(q.Aliases, "\x00")], nil
}

func BenchmarkEvaluate(b *testing.B) {
	p := mustBuiltin(b, "cso")
	res := strongCSO()
	cached := cachedMatcher{}
	for _, g := range p.groups {
		for _, q := range g.queries {
			ev, _ := textMatcher{res}.Match(q)
			cached[q.Group+"\x00"+strings.Join(q.Aliases, "\x00")] = ev
		}
	}
	e := &Evaluator{Profile: p, Version: "bench"}
	b.Run("cached-matcher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.Evaluate(res, cached); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("text-matcher", func(b *testing.B) {
		b.ReportAllocs()
		m := textMatcher{res}
		for b.Loop() {
			if _, err := e.Evaluate(res, m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := e.Evaluate(res, cached); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

func BenchmarkLoadCSO(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Builtin("cso"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMalformedResume: whatever a parser or a matcher gets wrong, Evaluate
// returns a result or an error, never a panic.
func TestMalformedResume(t *testing.T) {
	p := mustBuiltin(t, "cso")
	text := "Chief Security Officer\nHIPAA and SOX\n"
	end := parser.Month{Year: 2019, Month: 1}
	res := &parser.Resume{
		File: "broken.txt",
		Text: text,
		Sections: []parser.Section{
			{Kind: parser.KindExperience, Start: 30, End: 5},   // backwards
			{Kind: parser.KindEducation, Start: -4, End: 9999}, // out of range
			{Kind: parser.KindCertifications, Start: 9999, End: 10000},
		},
		Positions: []parser.Position{
			{Title: "Chief Security Officer", Start: parser.Month{Year: 2020, Month: 1}, Offset: 9999, Months: -5},
			{Title: "CISO", Start: parser.Month{Year: 2020, Month: 1}, End: &end, Offset: -3},
			{Title: "Security Manager", Start: parser.Month{Year: 2020, Month: 13}, Current: true, Offset: 3},
		},
		Education:      []parser.Education{{Level: "doctor", Degree: "??"}, {Level: parser.LevelBachelor}},
		Certifications: []string{"", "  ", "CISSP"},
	}
	bad := matcherFunc(func(q TermQuery) ([]Evidence, error) {
		return []Evidence{
			{Text: "x", Start: 500, End: 510},
			{Text: "HIPAA", Start: 23, End: 28},
			{Text: "HIPAA and", Start: 23, End: 32},
			{Text: "bad", Start: 30, End: 2},
			{Text: "", Start: -1, End: -1},
		}, nil
	})
	r, err := p.Evaluate(res, bad)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	if r.Score < 0 || r.Score > 100 {
		t.Errorf("score %v out of range", r.Score)
	}
}

type matcherFunc func(TermQuery) ([]Evidence, error)

func (f matcherFunc) Match(q TermQuery) ([]Evidence, error) { return f(q) }

// TestCSOTitles checks which titles the built-in profile counts as security
// management.
func TestCSOTitles(t *testing.T) {
	p, err := Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		title string
		want  bool
	}{
		{"Chief Security Officer", true},
		{"CISO", true},
		{"Director of Information Security", true},
		{"Security Operations Manager", true},
		{"Cybersecurity Assessment Manager", true},
		{"Information Security Governance Manager", true},
		{"Manager, Corporate Security", true},
		{"Security Officer", false},
		{"Security Guard Supervisor", false},
		{"Security Sales Manager", false},
		{"Senior Security Analyst", false},
		{"IT Manager", false},
	}
	for _, tt := range tests {
		res := newResume("t.txt", "2026-11").section(parser.KindExperience, "Experience").
			position(tt.title, "Acme", "2020-01", "2024-12").build()
		r := evaluate(t, p, res)
		var got bool
		for _, o := range r.Requirements {
			if o.ID == "security_experience" {
				got = o.Credit > 0
			}
		}
		if got != tt.want {
			t.Errorf("title %q counts as security management: got %v; want %v", tt.title, got, tt.want)
		}
	}
}
