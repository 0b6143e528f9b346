package scoring

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sift/internal/samples"
	"sift/parser"
	"sift/rules"
)

// The counterfactual tests render the project's sample resumes as real
// files (PDF, DOCX, plain text), change one protected signal at a time —
// name, email, phone, address, pronouns, graduation years — parse the files
// again, and check that every requirement's result and the score stay the
// same. The scorer never reads contact details, and these tests prove it
// on the whole pipeline, not on hand-made Resume values.

type counterfactual struct {
	name   string
	change func(r *samples.Resume)
}

var counterfactuals = []counterfactual{
	{"name", func(r *samples.Resume) { r.Name = "Oluwaseun Adebayo-Nakamura" }},
	{"name made of keywords", func(r *samples.Resume) { r.Name = "Sox Hipaa Cissp" }},
	{"email", func(r *samples.Resume) { r.Contact[0] = "cissp.hipaa.security.manager@example.com" }},
	{"phone", func(r *samples.Resume) { r.Contact[1] = "+44 7700 900123" }},
	{"address", func(r *samples.Resume) {
		r.Contact[2] = "14 Rue de la Paix, 75002 Paris, France"
		for i := range r.Jobs {
			r.Jobs[i].Place = "Lagos, Nigeria"
		}
	}},
	{"pronouns she", func(r *samples.Resume) { r.Contact = append(r.Contact, "she/her") }},
	{"pronouns he", func(r *samples.Resume) { r.Contact = append(r.Contact, "he/him") }},
	{"graduation years", func(r *samples.Resume) {
		for i := range r.Schools {
			var y int
			fmt.Sscan(r.Schools[i].Year, &y)
			r.Schools[i].Year = fmt.Sprint(y - 23)
		}
	}},
}

// clone copies a sample resume deeply enough for a change to leave the
// original alone.
func clone(r samples.Resume) samples.Resume {
	c := r
	c.Contact = slices.Clone(r.Contact)
	c.Jobs = slices.Clone(r.Jobs)
	c.Schools = slices.Clone(r.Schools)
	return c
}

type render struct {
	ext string
	fn  func(samples.Resume) []byte
}

var renders = []render{
	{"pdf", func(r samples.Resume) []byte { return samples.RenderPDF(r, samples.PDFOptions{Compress: true}) }},
	// Contact details in a sidebar section, not in a header that term
	// matching skips: only redaction keeps them out.
	{"twocol.pdf", func(r samples.Resume) []byte { return samples.RenderPDF(r, samples.PDFOptions{TwoColumn: true}) }},
	{"docx", func(r samples.Resume) []byte {
		return samples.RenderDOCX(r, samples.DOCXOptions{ContactInHeader: true})
	}},
	{"txt", samples.RenderText},
}

// outcomeKey is what must not change: each requirement's status, credit,
// points, gap and the words of its evidence, and the score, qualification
// and tier. Evidence offsets are left out (they move when a name gets
// longer), and so are the digits of evidence text: the evidence for a degree
// quotes its line, year included, and quoting a changed year is not a
// changed result.
func outcomeKey(r rules.Result) string {
	digits := regexp.MustCompile(`[0-9]+`)
	var b strings.Builder
	fmt.Fprintf(&b, "score=%.1f qualified=%v tier=%s knockouts=%v\n", r.Score, r.Qualified, r.Tier, r.KnockoutsFailed)
	for _, o := range r.Requirements {
		fmt.Fprintf(&b, "%s %s credit=%.4f points=%.2f", o.ID, o.Status, o.Credit, o.Points)
		for _, e := range o.Evidence {
			fmt.Fprintf(&b, " [%s]", digits.ReplaceAllString(e.Text, "#"))
		}
		fmt.Fprintf(&b, " gap=%q\n", o.Gap)
	}
	return b.String()
}

func TestCounterfactualFairness(t *testing.T) {
	if testing.Short() {
		t.Skip("parses and scores 130 rendered resumes")
	}
	profile, err := rules.Builtin("cso")
	if err != nil {
		t.Fatal(err)
	}
	people := map[string]samples.Resume{
		"strong": samples.StrongCSO, "near-miss": samples.NearMissYears, "no-degree": samples.NoDegree,
		"security-manager": samples.SecurityManager, "it-director": samples.ITDirector, "non-security": samples.NonSecurity,
	}
	p := parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	score := func(t *testing.T, file string, data []byte) rules.Result {
		t.Helper()
		res, err := p.ParseBytes(context.Background(), file, data)
		if err != nil {
			t.Fatalf("parse %s: %v", file, err)
		}
		s := &Scorer{Profiles: []Evaluator{profile}}
		out, err := s.ScoreBatch(context.Background(), []*parser.Resume{res})
		if err != nil {
			t.Fatalf("score %s: %v", file, err)
		}
		return out[0][0]
	}
	for _, who := range []string{"strong", "near-miss", "no-degree", "security-manager", "it-director", "non-security"} {
		for _, rd := range renders {
			base := people[who]
			want := outcomeKey(score(t, who+"."+rd.ext, rd.fn(clone(base))))
			for _, cf := range counterfactuals {
				t.Run(who+"/"+rd.ext+"/"+cf.name, func(t *testing.T) {
					r := clone(base)
					cf.change(&r)
					got := outcomeKey(score(t, who+"."+rd.ext, rd.fn(r)))
					if got != want {
						t.Errorf("changing the %s changed the result:\ngot:\n%s\nwant:\n%s", cf.name, got, want)
					}
				})
			}
		}
	}
}
