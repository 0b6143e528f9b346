package rules_test

import (
	"fmt"
	"log"
	"strings"

	"sift/parser"
	"sift/rules"
)

// wordMatcher is the simplest Matcher: case-insensitive substrings of the
// resume's text. Package scoring's matcher uses a bleve index.
type wordMatcher struct{ text string }

func (m wordMatcher) Match(q rules.TermQuery) ([]rules.Evidence, error) {
	var out []rules.Evidence
	lower := strings.ToLower(m.text)
	for _, a := range q.Aliases {
		hay, needle := lower, strings.ToLower(a)
		if q.CaseSensitive {
			hay, needle = m.text, a
		}
		for from := 0; ; {
			i := strings.Index(hay[from:], needle)
			if i < 0 {
				break
			}
			s := from + i
			from = s + len(needle)
			out = append(out, rules.Evidence{Text: m.text[s:from], Context: m.text[s:from], Term: q.Group, Start: s, End: from})
		}
	}
	return out, nil
}

const profile = `
id: security-lead
title: Security Lead
requirements:
  - id: years
    requirement: 2+ years as a security manager
    kind: experience
    weight: 3
    knockout: true
    category: security_management
    titles: [security manager, director of security]
    min_months: 24
  - id: laws
    requirement: Knowledge of information-security laws
    kind: terms
    weight: 2
    noun: laws
    full_credit_at: 2
    groups:
      - {name: HIPAA}
      - {name: GLBA, aliases: [GLBA, Gramm-Leach-Bliley]}
      - {name: SOX, acronyms: [SOX], aliases: [Sarbanes-Oxley]}
  - id: senior
    requirement: Five years of experience overall
    kind: expression
    weight: 1
    expression: double(experience_months) / 60.0
`

func Example() {
	p, err := rules.Parse([]byte(profile), "yaml")
	if err != nil {
		log.Fatal(err)
	}
	text := "EXPERIENCE\nSecurity Manager, Acme Health, 2024-01 - Present\n- HIPAA compliance and incident response.\n"
	res := &parser.Resume{
		File: "ada.txt",
		AsOf: parser.Month{Year: 2025, Month: 6},
		Text: text,
		Positions: []parser.Position{{
			Title: "Security Manager", Organization: "Acme Health",
			Start: parser.Month{Year: 2024, Month: 1}, Current: true, Months: 18, Offset: 11,
		}},
		ExperienceMonths: 18,
	}
	r, err := (&rules.Evaluator{Profile: p, Version: "dev"}).Evaluate(res, wordMatcher{text})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: score %.1f, tier %s, qualified %v, knockouts failed %v\n", r.File, r.Score, r.Tier, r.Qualified, r.KnockoutsFailed)
	for _, o := range r.Requirements {
		fmt.Printf("%-6s %-7s %5.2f points  %s\n", o.ID, o.Status, o.Points, o.Gap)
	}
	// Output:
	// ada.txt: score 59.2, tier possible, qualified false, knockouts failed [years]
	// years  partial 37.50 points  needs 6 more months in a security management role (has 18 of 24)
	// laws   partial 16.67 points  names 1 of 2 laws; none of GLBA, SOX found
	// senior partial  5.00 points  not satisfied: double(experience_months) / 60.0
}
