package scoring

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sift/parser"
	"sift/rules"
)

// csoProfiles are two fake profiles that share some groups: every third
// group of cso (so the race detector's runs stay short), one of them a
// knockout, and the laws.
func csoProfiles() []Evaluator {
	var some []rules.TermQuery
	for i := 0; i < len(cso); i += 3 {
		some = append(some, cso[i])
	}
	return []Evaluator{
		termEvaluator{id: "cso", groups: some, knockouts: map[string]bool{"HIPAA": true}},
		termEvaluator{id: "laws", groups: cso[:13]},
	}
}

// TestScoreDeterministic checks that results do not depend on the batch size
// or the number of workers. Run it with -race.
func TestScoreDeterministic(t *testing.T) {
	n := 24
	if testing.Short() {
		n = 10
	}
	var resumes []*parser.Resume
	for i := range n {
		resumes = append(resumes, synth(i))
	}
	resumes = append(resumes, synth(3)) // a duplicate resume in the same batch
	var want [][]rules.Result
	for _, size := range []int{1, 7, 256} {
		for _, workers := range []int{1, 8} {
			s := &Scorer{Profiles: csoProfiles(), Version: "test", BatchSize: size, Workers: workers}
			got, err := s.ScoreBatch(context.Background(), resumes)
			if err != nil {
				t.Fatalf("batch %d, workers %d: %v", size, workers, err)
			}
			if len(got) != len(resumes) {
				t.Fatalf("batch %d, workers %d: got %d results; want %d", size, workers, len(got), len(resumes))
			}
			if want == nil {
				want = got
				continue
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("batch %d, workers %d: resume %d: got %+v; want %+v", size, workers, i, got[i], want[i])
				}
			}
		}
	}
	// The results are those of the resume alone, and they are not empty.
	if !reflect.DeepEqual(want[n], want[3]) {
		t.Errorf("duplicate resume: got %+v; want %+v", want[n], want[3])
	}
	matched := 0
	for _, rs := range want {
		if len(rs) != 2 || rs[0].File == "" || rs[0].Version != "test" {
			t.Fatalf("got %+v; want 2 results with File and Version set", rs)
		}
		if rs[0].Score > 0 {
			matched++
		}
	}
	if matched == 0 {
		t.Errorf("no synthetic resume matched any term")
	}
}

// TestScoreMatchesIndex checks that a batch scores each resume as an index
// of that resume alone does.
func TestScoreMatchesIndex(t *testing.T) {
	p := termEvaluator{id: "cso", groups: cso}
	n := 10
	if testing.Short() {
		n = 4
	}
	var resumes []*parser.Resume
	for i := range n {
		resumes = append(resumes, synth(i))
	}
	got, err := (&Scorer{Profiles: []Evaluator{p}}).ScoreBatch(context.Background(), resumes)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range resumes {
		want, err := p.Evaluate(r, matcherFor(t, r))
		if err != nil {
			t.Fatal(err)
		}
		want.File = r.File
		if !reflect.DeepEqual(got[i][0], want) {
			t.Errorf("resume %d: got %+v; want %+v", i, got[i][0], want)
		}
	}
}

func TestScoreErrors(t *testing.T) {
	panicky := EvaluatorFunc(func(r *parser.Resume, m rules.Matcher) (rules.Result, error) {
		if strings.Contains(r.Text, "PANIC") {
			panic("boom")
		}
		if strings.Contains(r.Text, "FAIL") {
			return rules.Result{}, errors.New("bad resume")
		}
		ev, err := m.Match(rules.TermQuery{Group: "SOX", Aliases: []string{"SOX"}})
		return rules.Result{Score: float64(len(ev))}, err
	})
	resumes := []*parser.Resume{plain("SOX"), nil, plain("PANIC"), plain("FAIL"), plain("SOX SOX")}
	var scored []Scored
	s := &Scorer{Profiles: []Evaluator{panicky}, BatchSize: 2, Workers: 2}
	err := s.Stream(context.Background(), slices.Values(resumes), func(sc Scored) error {
		scored = append(scored, sc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(scored) != len(resumes) {
		t.Fatalf("got %d scored; want %d", len(scored), len(resumes))
	}
	for i, sc := range scored {
		if sc.Seq != i {
			t.Errorf("scored %d: got Seq %d; want %d", i, sc.Seq, i)
		}
		wantErr := i == 1 || i == 2 || i == 3
		if (sc.Err != nil) != wantErr {
			t.Errorf("scored %d: got Err %v; want error %v", i, sc.Err, wantErr)
		}
		var re *ResumeError
		if sc.Err != nil && (!errors.As(sc.Err, &re) || re.Seq != i) {
			t.Errorf("scored %d: got Err %#v; want a *ResumeError with Seq %d", i, sc.Err, i)
		}
	}
	if scored[0].Results[0].Score != 1 || scored[4].Results[0].Score != 2 {
		t.Errorf("got scores %v, %v; want 1, 2", scored[0].Results, scored[4].Results)
	}

	out, err := s.ScoreBatch(context.Background(), resumes)
	var re *ResumeError
	if !errors.As(err, &re) || out == nil || out[1] != nil || out[4] == nil {
		t.Errorf("ScoreBatch: got %v, %v; want results and a *ResumeError", out, err)
	}

	if _, err := (&Scorer{}).ScoreBatch(context.Background(), resumes); !errors.Is(err, ErrNoProfiles) {
		t.Errorf("no profiles: got %v; want ErrNoProfiles", err)
	}

	stop := errors.New("stop")
	calls := 0
	err = s.Stream(context.Background(), slices.Values(resumes), func(Scored) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("emit error: got %v after %d calls; want %v after 1", err, calls, stop)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.ScoreBatch(ctx, resumes); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: got %v; want context.Canceled", err)
	}
}

// TestStreamBounded checks that Stream holds one batch at a time: it has
// emitted batch k before it reads the first resume of batch k+1.
func TestStreamBounded(t *testing.T) {
	const size = 4
	read, emitted := 0, 0
	resumes := func(yield func(*parser.Resume) bool) {
		for i := range 3*size + 1 {
			if read-emitted > size {
				t.Errorf("read %d resumes, emitted %d: holding more than a batch of %d", read, emitted, size)
			}
			read++
			if !yield(plain(fmt.Sprintf("resume %d SOX", i))) {
				return
			}
		}
	}
	s := &Scorer{Profiles: []Evaluator{termEvaluator{id: "p", groups: cso[:3]}}, BatchSize: size}
	err := s.Stream(context.Background(), resumes, func(sc Scored) error {
		emitted++
		return sc.Err
	})
	if err != nil || emitted != 3*size+1 {
		t.Errorf("got %d emitted, %v; want %d, nil", emitted, err, 3*size+1)
	}
}

// TestEndToEnd scores candidates against a fake profile and ranks them.
func TestEndToEnd(t *testing.T) {
	p := termEvaluator{
		id: "cso",
		groups: []rules.TermQuery{
			{Group: "HIPAA", Aliases: []string{"HIPAA"}},
			{Group: "risk assessment", Aliases: []string{"risk assessment"}, Sections: []parser.SectionKind{parser.KindExperience}},
			{Group: "CPP", Aliases: []string{"CPP"}, CaseSensitive: true},
			{Group: "CISSP", Aliases: []string{"CISSP"}, CaseSensitive: true},
		},
		knockouts: map[string]bool{"CISSP": true},
	}
	mk := func(file, name, experience, skills string) *parser.Resume {
		r := makeResume(file,
			part{parser.KindHeader, "", name + "\n" + strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"},
			part{parser.KindExperience, "EXPERIENCE", experience},
			part{parser.KindSkills, "SKILLS", skills},
		)
		r.Contact = parser.Contact{Name: name, Emails: []string{strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"}}
		return r
	}
	resumes := []*parser.Resume{
		mk("b.pdf", "Ann Bell", "Ran risk assessments for HIPAA.", "CISSP, CPP"), // 100, qualified
		mk("a.pdf", "Hipaa Cpp", "Wrote cpp and C++ services.", "CISSP"),         // 25: the name and cpp count for nothing
		mk("c.pdf", "Cy Dunn", "HIPAA program; risk assessment.", "CPP"),         // 75, no CISSP
		mk("d.pdf", "Di Eze", "HIPAA program; risk assessment.", "CISSP"),        // 75, qualified
		mk("e.pdf", "Ed Fox", "Led the team.", "risk assessment, CISSP"),         // 25: risk assessment only in skills
		mk("f.pdf", "Risk Assessment", "Led the team.", "CISSP"),                 // 25: the name is no evidence
		mk("g.pdf", "Cissp Hipaa", "Led the team.", "none"),                      // 0, not qualified
	}
	results, err := (&Scorer{Profiles: []Evaluator{p}, BatchSize: 3}).ScoreBatch(context.Background(), resumes)
	if err != nil {
		t.Fatal(err)
	}
	var flat []rules.Result
	for _, rs := range results {
		flat = append(flat, rs...)
	}
	Rank(flat)
	var got []string
	for _, r := range flat {
		got = append(got, fmt.Sprintf("%s %.1f %v", r.File, r.Score, r.Qualified))
	}
	want := []string{
		"b.pdf 100.0 true",
		"d.pdf 75.0 true",
		"c.pdf 75.0 false",
		"a.pdf 25.0 true",
		"e.pdf 25.0 true",
		"f.pdf 25.0 true",
		"g.pdf 0.0 false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got ranking\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range flat {
		for _, o := range r.Requirements {
			for _, e := range o.Evidence {
				if e.Section != string(parser.KindExperience) && e.Section != string(parser.KindSkills) {
					t.Errorf("%s: evidence %q in section %q; want experience or skills", r.File, e.Text, e.Section)
				}
			}
		}
	}
}

// TestScoreHugeText checks that a resume of one enormous word, or of a
// hundred thousand matches, is scored without stopping the batch.
func TestScoreHugeText(t *testing.T) {
	resumes := []*parser.Resume{
		plain(strings.Repeat("a", 1<<20)),
		plain(strings.Repeat("SOX ", 100_000)),
		plain("Led SOX audits."),
	}
	p := EvaluatorFunc(func(r *parser.Resume, m rules.Matcher) (rules.Result, error) {
		ev, err := m.Match(rules.TermQuery{Group: "SOX", Aliases: []string{"SOX"}})
		return rules.Result{Score: float64(len(ev))}, err
	})
	got, err := (&Scorer{Profiles: []Evaluator{p}}).ScoreBatch(context.Background(), resumes)
	if err != nil {
		t.Fatal(err)
	}
	if got[0][0].Score != 0 || got[1][0].Score != DefaultMaxEvidence || got[2][0].Score != 1 {
		t.Errorf("got scores %v, %v, %v; want 0, %d, 1", got[0][0].Score, got[1][0].Score, got[2][0].Score, DefaultMaxEvidence)
	}
}
