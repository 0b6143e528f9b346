package scoring_test

import (
	"context"
	"fmt"
	"log"
	"slices"

	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

func ExampleIndex() {
	text := "Sox Hipaa\nsox.hipaa@example.com\nEXPERIENCE\nPresented risk assessments to the board; led SOX audits.\n"
	r := &parser.Resume{
		File: "hipaa.pdf",
		Text: text,
		Sections: []parser.Section{
			{Kind: parser.KindHeader, Start: 0, End: 32},
			{Kind: parser.KindExperience, Heading: "EXPERIENCE", Start: 32, End: len(text)},
		},
		Contact: parser.Contact{Name: "Sox Hipaa", Emails: []string{"sox.hipaa@example.com"}},
	}
	x, err := scoring.NewMemIndex()
	if err != nil {
		log.Fatal(err)
	}
	defer x.Close()
	if err := x.Add(scoring.Candidate{ID: "c1", Resume: r}); err != nil {
		log.Fatal(err)
	}
	m, err := x.Matcher("c1")
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []rules.TermQuery{
		{Group: "risk assessment", Aliases: []string{"risk assessment"}},
		{Group: "SOX", Aliases: []string{"SOX", "Sarbanes-Oxley"}},
		{Group: "HIPAA", Aliases: []string{"HIPAA"}},
	} {
		ev, err := m.Match(q)
		if err != nil {
			log.Fatal(err)
		}
		for _, e := range ev {
			fmt.Printf("%s: %q at [%d,%d) in %s: %q\n", e.Term, e.Text, e.Start, e.End, e.Section, e.Context)
		}
		if len(ev) == 0 {
			fmt.Printf("%s: no evidence\n", q.Group)
		}
	}
	// Output:
	// risk assessment: "risk assessments" at [53,69) in experience: "Presented risk assessments to the board; led SOX audits."
	// SOX: "SOX" at [88,91) in experience: "…risk assessments to the board; led SOX audits."
	// HIPAA: no evidence
}

func ExampleScorer_Stream() {
	profile := scoring.EvaluatorFunc(func(r *parser.Resume, m rules.Matcher) (rules.Result, error) {
		ev, err := m.Match(rules.TermQuery{Group: "CISSP", Aliases: []string{"CISSP"}, CaseSensitive: true})
		if err != nil {
			return rules.Result{}, err
		}
		res := rules.Result{Qualified: len(ev) > 0}
		if res.Qualified {
			res.Score = 100
		}
		return res, nil
	})
	resumes := []*parser.Resume{
		{File: "a.txt", Text: "Security manager. CISSP since 2015."},
		{File: "b.txt", Text: "Network engineer; studying for the cissp."},
		{File: "c.txt", Text: "CISO. CISSP, CISM."},
	}
	s := &scoring.Scorer{Profiles: []scoring.Evaluator{profile}, BatchSize: 2}
	top := scoring.Shortlist{N: 2}
	err := s.Stream(context.Background(), slices.Values(resumes), func(sc scoring.Scored) error {
		if sc.Err != nil {
			fmt.Println(sc.Err) // reported; the stream goes on
			return nil
		}
		top.Add(sc.Results[0])
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range top.Results() {
		fmt.Println(r.File, r.Score, r.Qualified)
	}
	// Output:
	// a.txt 100 true
	// c.txt 100 true
}
