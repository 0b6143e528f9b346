package scoring

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sift/rules"
)

func res(file string, score float64, qualified bool) rules.Result {
	return rules.Result{File: file, Score: score, Qualified: qualified}
}

func files(rs []rules.Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.File)
	}
	return strings.Join(s, " ")
}

func TestRank(t *testing.T) {
	tests := []struct {
		name string
		in   []rules.Result
		want string
	}{
		{"score descending", []rules.Result{res("a", 10, true), res("b", 90, true), res("c", 50, true)}, "b c a"},
		{"qualified first among equals", []rules.Result{res("a", 50, false), res("b", 50, true)}, "b a"},
		{"score before qualified", []rules.Result{res("a", 40, true), res("b", 50, false)}, "b a"},
		{"file name breaks ties", []rules.Result{res("c", 50, true), res("a", 50, true), res("b", 50, true)}, "a b c"},
		{"candidate id breaks ties", []rules.Result{
			{File: "x", Candidate: "2", Score: 5}, {File: "x", Candidate: "1", Score: 5},
		}, "x x"},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.in)
			Rank(got)
			if files(got) != tt.want {
				t.Errorf("got %q; want %q", files(got), tt.want)
			}
		})
	}
	in := []rules.Result{
		{File: "x", Candidate: "2", Score: 5, Profile: rules.ProfileRef{ID: "b"}},
		{File: "x", Candidate: "2", Score: 5, Profile: rules.ProfileRef{ID: "a"}},
		{File: "x", Candidate: "1", Score: 5, Profile: rules.ProfileRef{ID: "c"}},
	}
	Rank(in)
	var got []string
	for _, r := range in {
		got = append(got, r.Candidate+r.Profile.ID)
	}
	if want := []string{"1c", "2a", "2b"}; !slices.Equal(got, want) {
		t.Errorf("candidate and profile tie-breaks: got %q; want %q", got, want)
	}
}

// TestRankOrderIndependent checks that any permutation of the same results
// ranks the same, and that Top and Shortlist agree with Rank.
func TestRankOrderIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var in []rules.Result
	for i := range 200 {
		in = append(in, res(fmt.Sprintf("f%03d", rng.IntN(150)), float64(rng.IntN(8))*12.5, rng.IntN(2) == 0))
		in[i].Candidate = fmt.Sprint(i % 7)
	}
	want := slices.Clone(in)
	Rank(want)
	for range 5 {
		got := slices.Clone(in)
		rng.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
		Rank(got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("ranking depends on input order")
		}
		for _, n := range []int{0, 1, 10, 199, 200, 500} {
			top := Top(got, n)
			if w := want[:min(n, len(want))]; !reflect.DeepEqual(top, w) && !(len(top) == 0 && len(w) == 0) {
				t.Fatalf("Top(%d): got %q; want %q", n, files(top), files(w))
			}
		}
	}
	for i := 1; i < len(want); i++ {
		if Compare(&want[i-1], &want[i]) > 0 {
			t.Fatalf("results %d and %d out of order", i-1, i)
		}
	}
}

func TestShortlist(t *testing.T) {
	s := Shortlist{N: 2}
	for _, r := range []rules.Result{res("a", 10, true), res("b", 70, false), res("c", 70, true), res("d", 20, true)} {
		s.Add(r)
	}
	if got, want := files(s.Results()), "c b"; got != want || s.Len() != 2 {
		t.Errorf("got %q (%d); want %q (2)", got, s.Len(), want)
	}
	var zero Shortlist
	zero.Add(res("a", 1, true))
	if zero.Len() != 0 || len(zero.Results()) != 0 {
		t.Errorf("zero Shortlist: got %d results; want 0", zero.Len())
	}
}
