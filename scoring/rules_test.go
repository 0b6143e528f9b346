package scoring

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
)

// builtinQueries returns the term queries of a profile's requirements as
// rules asks them: aliases ignoring case, acronyms case-sensitively.
func builtinQueries(p *rules.Profile) []rules.TermQuery {
	var qs []rules.TermQuery
	add := func(gs []rules.TermGroup) {
		for _, g := range gs {
			if len(g.Aliases) > 0 {
				qs = append(qs, rules.TermQuery{Group: g.Name, Aliases: g.Aliases, CaseSensitive: g.CaseSensitive})
			}
			if len(g.Acronyms) > 0 {
				qs = append(qs, rules.TermQuery{Group: g.Name, Aliases: g.Acronyms, CaseSensitive: true})
			}
		}
	}
	for _, r := range p.Requirements {
		add(r.Groups)
		if r.Signals != nil {
			add(r.Signals.Groups)
		}
	}
	return qs
}

// TestBuiltinProfilesMatchable checks that every alias of the built-in
// profiles has a word the index can match.
func TestBuiltinProfilesMatchable(t *testing.T) {
	for _, id := range rules.Builtins() {
		p, err := rules.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		qs := builtinQueries(p)
		if len(qs) == 0 {
			t.Errorf("%s: no term groups", id)
		}
		for _, q := range qs {
			if err := CheckQuery(q); err != nil {
				t.Errorf("%s: %v", id, err)
			}
		}
	}
}

// TestBuiltinEndToEnd scores synthetic resumes with the built-in Chief
// Security Officer profile, and checks that neither the batching nor the
// candidate's name changes a result.
func TestBuiltinEndToEnd(t *testing.T) {
	p, err := rules.Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	ev := &rules.Evaluator{Profile: p}
	n := 8
	if testing.Short() {
		n = 4
	}
	var resumes []*parser.Resume
	for i := range n {
		resumes = append(resumes, synth(i))
	}
	var want [][]rules.Result
	for _, size := range []int{1, 5, 256} {
		got, err := (&Scorer{Profiles: []Evaluator{ev}, Version: "test", BatchSize: size, Workers: 3}).ScoreBatch(context.Background(), resumes)
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("batch %d: results differ from batch 1", size)
		}
	}
	for i, rs := range want {
		if rs[0].Score <= 0 || rs[0].Profile.ID != "cso" || rs[0].Version != "test" {
			t.Errorf("resume %d: got score %v, profile %q, version %q; want a positive score, cso, test", i, rs[0].Score, rs[0].Profile.ID, rs[0].Version)
		}
	}

	// Counterfactual: the same resume under names that are terms of the
	// profile scores as under a plain one.
	rename := func(r *parser.Resume, name, email string) *parser.Resume {
		c := *r
		c.Text = strings.Replace(strings.Replace(r.Text, r.Contact.Name, name, 1), r.Contact.Emails[0], email, 1)
		c.Contact.Name, c.Contact.Emails = name, []string{email}
		return &c
	}
	base := synth(1)
	base.Text = strings.Replace(base.Text, "Achieved HIPAA, SOX", "Achieved", -1)
	variants := []*parser.Resume{
		rename(base, "Ann Bell", "ann@example.com"),
		rename(base, "Sox Hipaa", "hipaa.cissp@example.com"),
		rename(base, "Cissp Budget", "soc@example.com"),
	}
	got, err := (&Scorer{Profiles: []Evaluator{ev}}).ScoreBatch(context.Background(), variants)
	if err != nil {
		t.Fatal(err)
	}
	summary := func(r rules.Result) []any {
		s := []any{r.Score, r.Qualified, r.Tier}
		for _, o := range r.Requirements {
			s = append(s, o.ID, o.Status, o.Credit, len(o.Evidence))
			for _, e := range o.Evidence {
				s = append(s, e.Text)
			}
		}
		return s
	}
	for i := 1; i < len(got); i++ {
		if a, b := summary(got[i][0]), summary(got[0][0]); !reflect.DeepEqual(a, b) {
			t.Errorf("named %q: got %v; want %v", variants[i].Contact.Name, a, b)
		}
	}
}
