package scoring

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"sift/parser"
	"sift/rules"
)

// The tests here hold ResumeMatcher to the index-backed Matcher: for every
// resume and query, the same []rules.Evidence (reflect.DeepEqual, so nil
// and empty differ too), the same Count, the same error.

// adversarial are texts that probe the analysis and the phrase rule: stop
// words inside phrases, repeats, case, hyphens, plurals, possessives,
// non-ASCII and invalid UTF-8, punctuation and white space between words.
var adversarial = []string{
	"Head of Security; head XYZ security; head security; head of the security; head the security; HEAD-OF-SECURITY.",
	"risk the assessment; risk of assessment; risk, assessment; risk\n\tassessment; Risk-Assessments; risks assessments; risk assessment's",
	"CPP (ASIS). Also cpp, Cpp, C++, c++, CPP-certified, C.P.P., CPP's and CPPs.",
	"SOX SOX SOX sox; SOX/404; soxx; (SOX-compliant); SOX. Then SOX again, and sox. sox sox sox sox",
	"incident incident response response incident response response incident; incident of response",
	"Sécurité SÉCURITÉ sécurité; Müller's ΣΊΣΥΦΟΣ σίσυφος Σίσυφοσ; İstanbul ıstanbul ISTANBUL; Ⱥ Ⱦ ⱥ ⱦ; ǅemal ǆemal; ﬁrewall firewall; naïve café naive cafe",
	"東京の セキュリティ 担当; 安全 管理; 😀HIPAA😀 HIPAA😀; Ａｃｍｅ ＨＩＰＡＡ; \u00a0HIPAA\u2003GLBA\u200bSOX",
	"e-mail, e.g., I.T., IT, it, It; (ISC)², ISC2, ISC²; ISO/IEC 27001, ISO 27001:2013, 27001; NIST 800-53, NIST 800–53, NIST SP 800-53r5",
	"CISO's CISOs' company’s companies' policies policy's boxes box axes axe shoes shoe caches cache analyses analysis series spies pies",
	"23 NYCRR 500; 23NYCRR500; 23 NYCRR Part 500; 1,000 2.5 3/4 $4M 5% #6 @7",
	"\xff\xfeSOX\xc3 HIPAA \xe2\x82 GLBA\xff risk \xc3\xa9 assessment",
	"the of and a an to in on for with it is be as by at or — – - ‐ ‑ _ / \\ | ~ ` ' \" “ ” ‘ ’ … · • ● ✓",
	"board of directors; Board Of Directors; board directors; board, of directors; board the directors; the board of the directors",
	"",
	"   \n\t  \n",
	"a",
	strings.Repeat("SOX audit. HIPAA ", 50) + strings.Repeat("risk assessment ", 40),
}

// trickyAliases are aliases that probe the same: stop words at the ends
// and inside, only stop words, punctuation only, case, plurals, hyphens,
// non-ASCII, repeats and invalid UTF-8.
var trickyAliases = []string{
	"head of security", "the board", "board of", "of the", "board of the directors", "risk the assessment",
	"risk assessments", "risk-assessment", "Risk Assessment", "risk  \n assessment", "CPP", "cpp", "Cpp", "C++", "c++",
	"++", "(ISC)²", "ISC2", "ISO/IEC 27001", "NIST 800-53", "800–53", "Sécurité", "SÉCURITÉ", "σίσυφος", "ΣΊΣΥΦΟΣ",
	"İstanbul", "ⱥ", "ﬁrewall", "CISO's", "CISOs", "policies", "policy", "box", "boxes", "axes", "shoes", "caches",
	"series", "spies", "incident response incident", "incident response response", "SOX SOX", "sox", "23 NYCRR 500",
	"e-mail", "I.T.", "IT", "it", "a", "the", "", "   ", "東京", "セキュリティ", "😀", "HIPAA😀", "\xff", "\xc3",
	"s", "'s", "’s", "risk \xc3\xa9 assessment", "Ａｃｍｅ", "ǆemal",
}

// trickyQueries are term queries of the tricky aliases, each alone and
// case-sensitively, and a few groups of overlapping aliases.
func trickyQueries() []rules.TermQuery {
	var qs []rules.TermQuery
	for _, a := range trickyAliases {
		for _, exact := range []bool{false, true} {
			qs = append(qs, rules.TermQuery{Group: "alias " + a, Aliases: []string{a}, CaseSensitive: exact})
		}
	}
	for _, as := range [][]string{
		{"assessment", "risk assessment", "risk"},
		{"SOX", "SOX SOX", "sox sox sox"},
		{"incident", "incident response", "response incident"},
		{"board", "the board", "board of directors"},
		{"IT", "the", "information technology"},
		{"CPP", "C++", "cpp"},
		{"HIPAA", "HIPAA", "hipaa"},
	} {
		for _, exact := range []bool{false, true} {
			qs = append(qs, rules.TermQuery{Group: strings.Join(as, "|"), Aliases: as, CaseSensitive: exact})
		}
	}
	return qs
}

// equivalenceQueries returns every term query of the built-in profiles, the
// benchmarks' 60 groups and the tricky queries, each also limited to the
// experience and skills sections.
func equivalenceQueries(t testing.TB) []rules.TermQuery {
	var qs []rules.TermQuery
	for _, id := range rules.Builtins() {
		p, err := rules.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, builtinQueries(p)...)
	}
	qs = append(qs, cso...)
	qs = append(qs, trickyQueries()...)
	for _, q := range slices.Clone(qs) {
		q.Sections = []parser.SectionKind{parser.KindExperience, parser.KindSkills}
		qs = append(qs, q)
	}
	return qs
}

// sampleResumes parses every sample resume of testdata/resumes that has
// text, as of 2026-11, as TestGoldenScores does.
func sampleResumes(t testing.TB) []*parser.Resume {
	t.Helper()
	dir := filepath.Join("..", "testdata", "resumes")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	p := parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	var out []*parser.Resume
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if r, err := p.ParseBytes(context.Background(), e.Name(), data); err == nil {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatal("no sample resumes")
	}
	return out
}

// adversarialResumes are the adversarial texts as resumes: alone (one
// section), and after a header holding a name that is also a term, with a
// skills section, so that redaction and sections play a part.
func adversarialResumes() []*parser.Resume {
	var out []*parser.Resume
	for i, text := range adversarial {
		r := plain(text)
		r.File = fmt.Sprintf("adversarial-%02d.txt", i)
		out = append(out, r)
		r = makeResume(fmt.Sprintf("adversarial-%02d-sections.txt", i),
			part{parser.KindHeader, "", "Sox Cpp Security\nsox.cpp@example.com | linkedin.com/in/sox-cpp"},
			part{parser.KindExperience, "EXPERIENCE", text},
			part{parser.KindSkills, "SKILLS", "SOX, HIPAA, C++, CPP, risk assessment, Sécurité"},
			part{parser.KindEducation, "EDUCATION", text},
		)
		r.Contact = parser.Contact{Name: "Sox Cpp Security", Emails: []string{"sox.cpp@example.com"}, Links: []string{"linkedin.com/in/sox-cpp"}}
		out = append(out, r)
	}
	return out
}

// sameMatches checks that rm answers q as im does: the same evidence with
// the default cap and with none, the same count, the same error.
func sameMatches(t *testing.T, name string, q rules.TermQuery, im *Matcher, rm *ResumeMatcher) {
	t.Helper()
	defer func(keep int) { im.x.MaxEvidence = keep }(im.x.MaxEvidence)
	for _, limit := range []int{0, -1} {
		im.x.MaxEvidence, rm.MaxEvidence = limit, limit
		want, werr := im.Match(q)
		got, gerr := rm.Match(q)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) {
			t.Fatalf("%s: Match(%q, exact %v, sections %v): got error %v; want %v", name, q.Aliases, q.CaseSensitive, q.Sections, gerr, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: Match(%q, exact %v, sections %v), MaxEvidence %d:\n%s", name, q.Aliases, q.CaseSensitive, q.Sections, limit, evidenceDiff(got, want))
		}
	}
	wn, werr := im.Count(q)
	gn, gerr := rm.Count(q)
	if gn != wn || fmt.Sprint(gerr) != fmt.Sprint(werr) {
		t.Fatalf("%s: Count(%q): got %d, %v; want %d, %v", name, q.Aliases, gn, gerr, wn, werr)
	}
}

// evidenceDiff describes how two evidence lists differ.
func evidenceDiff(got, want []rules.Evidence) string {
	if (got == nil) != (want == nil) {
		return fmt.Sprintf("got nil %v; want nil %v", got == nil, want == nil)
	}
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Sprintf("evidence %d: got none; want %+v", i, want[i])
		case i >= len(want):
			return fmt.Sprintf("evidence %d: got %+v; want none", i, got[i])
		case got[i] != want[i]:
			return fmt.Sprintf("evidence %d: got %+v; want %+v", i, got[i], want[i])
		}
	}
	return "(same)"
}

// TestResumeMatcherSameEvidence checks ResumeMatcher against the index
// Matcher on every sample resume, generated resumes (internal/samples),
// synthetic ones and the adversarial texts, for every query of
// equivalenceQueries. The index holds them all, as a Scorer's batch did.
func TestResumeMatcherSameEvidence(t *testing.T) {
	nRandom, nSynth := 12, 4
	if testing.Short() {
		nRandom, nSynth = 3, 1
	}
	resumes := sampleResumes(t)
	resumes = append(resumes, randomResumes(t, 11, nRandom)...)
	for i := range nSynth {
		resumes = append(resumes, synth(i))
	}
	resumes = append(resumes, adversarialResumes()...)
	qs := equivalenceQueries(t)

	x, err := NewMemIndex()
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	cs := make([]Candidate, len(resumes))
	for i, r := range resumes {
		cs[i] = Candidate{ID: fmt.Sprint(i), Resume: r}
	}
	if err := x.Add(cs...); err != nil {
		t.Fatal(err)
	}
	matched := 0
	for i, r := range resumes {
		t.Run(r.File, func(t *testing.T) {
			im, err := x.Matcher(fmt.Sprint(i))
			if err != nil {
				t.Fatal(err)
			}
			rm, err := NewResumeMatcher(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range qs {
				sameMatches(t, r.File, q, im, rm)
				if n, _ := rm.Count(q); n > 0 {
					matched++
				}
			}
		})
	}
	t.Logf("%d resumes, %d queries, %d (resume, query) pairs with evidence", len(resumes), len(qs), matched)
	// The comparison means something only if much of it matched.
	if least := len(resumes) * 10; matched < least {
		t.Errorf("got %d (resume, query) pairs with evidence; want at least %d", matched, least)
	}
}

// TestPhraseSemantics pins down how bleve's phrase queries treat stop words
// and punctuation, which ResumeMatcher replicates: a stop word dropped from
// an alias matches any word (or a stop word) at its place, a stop word
// dropped from the text still holds its place, and punctuation is not a
// word.
func TestPhraseSemantics(t *testing.T) {
	tests := []struct {
		text, alias string
		exact       bool
		want        []string
	}{
		{"head XYZ security; head security; head of the security; head the security", "head of security", false,
			[]string{"head XYZ security", "head the security"}},
		{"risk the assessment; risk of assessment; risk, assessment", "risk assessment", false, []string{"risk, assessment"}},
		{"risk of assessment; risk to assessment; risk assessment", "risk the assessment", false,
			[]string{"risk of assessment", "risk to assessment"}},
		{"the board; board", "the board", false, []string{"board", "board"}},
		{"the board; board", "the board", true, []string{"the board"}},
		{"company’s companies' policies", "company", false, []string{"company’s", "companies"}},
		{"ΣΊΣΥΦΟΣ σίσυφος", "σίσυφος", false, []string{"ΣΊΣΥΦΟΣ", "σίσυφος"}},
		{"incident incident response response", "incident response", false, []string{"incident response"}},
		{"CPP cpp C++", "CPP", true, []string{"CPP"}},
	}
	for _, tt := range tests {
		r := plain(tt.text)
		q := rules.TermQuery{Group: "g", Aliases: []string{tt.alias}, CaseSensitive: tt.exact}
		rm, err := NewResumeMatcher(r)
		if err != nil {
			t.Fatal(err)
		}
		for name, m := range map[string]rules.Matcher{"index": matcherFor(t, r), "resume": rm} {
			ev, err := m.Match(q)
			if err != nil {
				t.Fatal(err)
			}
			if got := texts(ev); !slices.Equal(got, tt.want) {
				t.Errorf("%s: Match(%q, exact %v) in %q: got %q; want %q", name, tt.alias, tt.exact, tt.text, got, tt.want)
			}
		}
	}
}

// TestAnalyseOnce checks that tokenizing once for both fields gives the
// streams that each analyzer's own Analyze gives, and that NewMapping's
// analyzers take that path.
func TestAnalyseOnce(t *testing.T) {
	en, exact, err := analyzers()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sharedTokenizer(en, exact); !ok {
		t.Fatal("the English and exact analyzers do not share a tokenizer: every resume is tokenized twice")
	}
	texts := append(slices.Clone(adversarial), synth(0).Text, "Pâtisserie résumé — naïve café\nSécurité: HIPAA ✓")
	for _, text := range texts {
		gotEn, gotExact, err := analyse(text)
		if err != nil {
			t.Fatal(err)
		}
		wantEn, wantExact, err := analyseTwice(text)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gotEn, wantEn) || !reflect.DeepEqual(gotExact, wantExact) {
			t.Errorf("analyse(%.40q): streams differ from each analyzer's own", text)
		}
	}
}

// TestResumeMatcherConcurrent checks that one ResumeMatcher answers many
// goroutines at once (run with -race) as it answers one.
func TestResumeMatcherConcurrent(t *testing.T) {
	r := synth(5)
	want := map[string][]rules.Evidence{}
	seq, err := NewResumeMatcher(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range cso {
		if want[q.Group], err = seq.Match(q); err != nil {
			t.Fatal(err)
		}
	}
	m, err := NewResumeMatcher(r)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range cso {
				q := cso[(i+g*7)%len(cso)]
				got, err := m.Match(q)
				if err != nil {
					t.Error(err)
					return
				}
				if !reflect.DeepEqual(got, want[q.Group]) {
					t.Errorf("goroutine %d: %s: got %v; want %v", g, q.Group, texts(got), texts(want[q.Group]))
				}
			}
		})
	}
	wg.Wait()
}

func TestResumeMatcherErrors(t *testing.T) {
	if _, err := NewResumeMatcher(nil); err == nil {
		t.Error("NewResumeMatcher(nil): got no error; want one")
	}
	m, err := NewResumeMatcher(plain("IT manager"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Match(rules.TermQuery{Group: "IT", Aliases: []string{"IT", "the"}}); !errors.Is(err, ErrNoWords) {
		t.Errorf("stop words only: got %v; want ErrNoWords", err)
	}
	if _, err := m.Match(rules.TermQuery{Group: "none"}); !errors.Is(err, ErrNoWords) {
		t.Errorf("no aliases: got %v; want ErrNoWords", err)
	}
}

// TestScorerSameAsIndexed checks that a Scorer gives, on the sample,
// generated and synthetic resumes, with the built-in profiles and the fake
// ones, exactly the results it gave when it matched through a bleve index
// per batch (TestGoldenScores and TestCounterfactualFairness check the
// same results against their files and across changes).
func TestScorerSameAsIndexed(t *testing.T) {
	n := 16
	if testing.Short() {
		n = 4
	}
	resumes := sampleResumes(t)
	resumes = append(resumes, randomResumes(t, 12, n)...)
	for i := range n / 2 {
		resumes = append(resumes, synth(i))
	}
	resumes = append(resumes, adversarialResumes()...)
	var evals []Evaluator
	for _, p := range testProfiles(t) {
		evals = append(evals, &rules.Evaluator{Profile: p})
	}
	evals = append(evals, csoProfiles()...)
	for _, limit := range []int{0, 2} {
		s := &Scorer{Profiles: evals, Version: "test", BatchSize: 7, MaxEvidence: limit}
		got, err := s.ScoreBatch(context.Background(), resumes)
		if err != nil {
			t.Fatal(err)
		}
		s.indexed = true
		want, err := s.ScoreBatch(context.Background(), resumes)
		if err != nil {
			t.Fatal(err)
		}
		for i := range resumes {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("MaxEvidence %d: %s: results differ from the index's:\ngot  %+v\nwant %+v", limit, resumes[i].File, got[i], want[i])
			}
		}
	}
}

// TestQueryKeyUnambiguous checks that queries whose aliases differ never
// share a cache entry: the single alias "0\x001" once shared the key of the
// two aliases "0" and "1", and a ResumeMatcher then answered the second
// query with the first one's phrases.
func TestQueryKeyUnambiguous(t *testing.T) {
	one := rules.TermQuery{Group: "g", Aliases: []string{"0\x001"}, CaseSensitive: true}
	two := rules.TermQuery{Group: "g", Aliases: []string{"1", "0"}, CaseSensitive: true}
	if keyOf(one) == keyOf(two) {
		t.Fatalf("keyOf(%q) == keyOf(%q)", one.Aliases, two.Aliases)
	}
	if keyOf(two) != keyOf(rules.TermQuery{Aliases: []string{"0", "1", "0"}, CaseSensitive: true}) {
		t.Error("the same aliases in another order, repeated, have another key")
	}
	r := plain("0")
	im := matcherFor(t, r)
	rm, err := NewResumeMatcher(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []rules.TermQuery{one, two} {
		sameMatches(t, "key", q, im, rm)
	}
}

// TestCompileSharedCollisions checks that the cache of compiled queries
// never answers for other aliases, even when every query has the same
// hash: the same slice changed in place, then other aliases, must each be
// compiled anew and match what they match.
func TestCompileSharedCollisions(t *testing.T) {
	defer func(f func(rules.TermQuery) hashKey) { hashOf = f }(hashOf)
	hashOf = func(q rules.TermQuery) hashKey { return hashKey{h: 1, exact: q.CaseSensitive} }
	r := plain("Head of Security at Acme; SOX and HIPAA audits")
	rm, err := NewResumeMatcher(r)
	if err != nil {
		t.Fatal(err)
	}
	aliases := []string{"SOX", "GLBA"}
	for _, want := range []string{"SOX", "HIPAA", "Acme"} {
		aliases[0] = want
		ev, err := rm.Match(rules.TermQuery{Group: "g", Aliases: aliases})
		if err != nil || len(ev) != 1 || ev[0].Text != want {
			t.Fatalf("Match(%q) = %+v, %v; want %s once", aliases, ev, err, want)
		}
	}
}
