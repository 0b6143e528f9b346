package scoring

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sift/internal/samples"
	"sift/parser"
	"sift/rules"
)

func TestStorePutGet(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	rs := randomResumes(t, 1, 3)

	a, err := s.Put(ctx, rs[0], "ats-1")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Created || a.Changed {
		t.Errorf("first put: got created %v changed %v; want true false", a.Created, a.Changed)
	}
	c := a.Candidate
	if !validID(c.ID) || c.ExternalID != "ats-1" || c.File != rs[0].File || c.SHA256 != rs[0].SHA256 {
		t.Errorf("got candidate %q %q %q %q; want a hex id, ats-1, %q, %q", c.ID, c.ExternalID, c.File, c.SHA256, rs[0].File, rs[0].SHA256)
	}
	if len(c.Results) != 2 || c.Results["cso"].Candidate != c.ID || c.Results["itops"].Profile.ID != "itops" {
		t.Errorf("got results %v; want cso and itops, recording the candidate id", keys(c.Results))
	}
	if got, want := c.Results["cso"].AsOf, (parser.Month{Year: 2026, Month: 11}); got != want {
		t.Errorf("got as-of %v; want %v", got, want)
	}
	if got := c.Results["cso"].Version; got != "test" {
		t.Errorf("got version %q; want test", got)
	}

	// The same resume under the same key: nothing changes.
	again, err := s.Put(ctx, rs[0], "ats-1")
	if err != nil {
		t.Fatal(err)
	}
	if again.Created || again.Changed || again.Candidate.ID != c.ID {
		t.Errorf("same put: got created %v changed %v id %s; want false false %s", again.Created, again.Changed, again.Candidate.ID, c.ID)
	}
	if !reflect.DeepEqual(again.Candidate.Results, c.Results) {
		t.Errorf("same put: results differ from the first put's")
	}

	// New content under the same key: replaced, same id.
	repl, err := s.Put(ctx, rs[1], "ats-1")
	if err != nil {
		t.Fatal(err)
	}
	if repl.Created || !repl.Changed || repl.Candidate.ID != c.ID || !repl.Candidate.Added.Equal(c.Added) {
		t.Errorf("replace: got created %v changed %v id %s; want false true %s, added kept", repl.Created, repl.Changed, repl.Candidate.ID, c.ID)
	}
	if s.Len() != 1 {
		t.Errorf("got Len %d; want 1", s.Len())
	}

	// Without a key: content-addressed.
	b, err := s.Put(ctx, rs[2], "")
	if err != nil {
		t.Fatal(err)
	}
	b2, err := s.Put(ctx, rs[2], "")
	if err != nil {
		t.Fatal(err)
	}
	if !b.Created || b2.Created || b2.Changed || b2.Candidate.ID != b.Candidate.ID {
		t.Errorf("content-addressed: got created %v then %v/%v, ids %s %s; want one candidate", b.Created, b2.Created, b2.Changed, b.Candidate.ID, b2.Candidate.ID)
	}
	// Content already stored under a key is found without one.
	k, err := s.Put(ctx, rs[1], "")
	if err != nil {
		t.Fatal(err)
	}
	if k.Created || k.Candidate.ID != c.ID {
		t.Errorf("keyless put of a keyed candidate's content: got created %v id %s; want false %s", k.Created, k.Candidate.ID, c.ID)
	}

	got, err := s.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Resume.Text != rs[1].Text || got.SHA256 != rs[1].SHA256 {
		t.Errorf("Get after replace: got the old resume")
	}
	if id, err := s.Lookup("ats-1"); err != nil || id != c.ID {
		t.Errorf("Lookup(ats-1) = %q, %v; want %q", id, err, c.ID)
	}
	if _, err := s.Get("0123456789abcdef"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(unknown): got %v; want ErrNotFound", err)
	}
	if _, err := s.Get("../../etc/passwd"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(path): got %v; want ErrNotFound", err)
	}
	if s.Len() != 2 {
		t.Errorf("got Len %d; want 2", s.Len())
	}

	// A failed parse is refused.
	bad := parser.Failed("broken.pdf", errors.New("damaged"))
	if _, err := s.Put(ctx, bad, ""); !errors.Is(err, ErrNotScorable) {
		t.Errorf("Put(failed parse): got %v; want ErrNotScorable", err)
	}

	// Reopened, the store has the same candidates and results.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(c.ID); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: got %v; want ErrClosed", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, journalName)); err != nil || fi.Size() != 0 {
		t.Errorf("journal after a clean close: %v, %v; want empty", fi, err)
	}
	s2 := openTest(t, dir)
	if s2.Len() != 2 {
		t.Errorf("reopened: got Len %d; want 2", s2.Len())
	}
	got2, err := s2.Get(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got2, got) {
		t.Errorf("reopened: Get differs")
	}
	sl, err := s2.Shortlist(ctx, ShortlistQuery{Profile: "cso", Top: 10})
	if err != nil {
		t.Fatal(err)
	}
	if sl.Total != 2 || len(sl.Entries) != 2 {
		t.Errorf("reopened: shortlist of %d, total %d; want 2, 2", len(sl.Entries), sl.Total)
	}
}

func keys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestStoreLocked(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir)
	_, err := OpenStore(dir, StoreOptions{Profiles: testProfiles(t), Now: testNow})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second OpenStore: got %v; want ErrLocked", err)
	}
}

func TestStorePutBatch(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	rs := randomResumes(t, 2, 20)
	reqs := make([]PutRequest, 0, len(rs)+2)
	for i, r := range rs {
		reqs = append(reqs, PutRequest{Resume: r, Key: r.File})
		if i == 3 {
			reqs = append(reqs, PutRequest{Resume: r, Key: r.File}) // the same twice in one batch
		}
	}
	reqs = append(reqs, PutRequest{Resume: nil, Key: "nil"})
	out, err := s.PutBatch(ctx, reqs)
	var pe *PutError
	if !errors.As(err, &pe) || pe.Index != len(reqs)-1 {
		t.Fatalf("got error %v; want a PutError for request %d", err, len(reqs)-1)
	}
	created := 0
	for i, r := range out[:len(out)-1] {
		if r == nil {
			t.Fatalf("request %d: no result", i)
		}
		if r.Created {
			created++
		}
	}
	if created != len(rs) || s.Len() != len(rs) {
		t.Errorf("got %d created, Len %d; want %d", created, s.Len(), len(rs))
	}
	if out[3].Candidate.ID != out[4].Candidate.ID || out[4].Created || out[4].Changed {
		t.Errorf("the same resume twice in a batch: got ids %s, %s (created %v); want one candidate", out[3].Candidate.ID, out[4].Candidate.ID, out[4].Created)
	}
	// Batch scoring gives the results one Put would.
	one, err := s.Score(ctx, rs[7])
	if err != nil {
		t.Fatal(err)
	}
	stored := out[8].Candidate.Results
	for _, r := range one {
		st := stored[r.Profile.ID]
		st.Candidate = ""
		if !reflect.DeepEqual(st, r) {
			t.Errorf("%s: stored result differs from Score's", r.Profile.ID)
		}
	}
}

func TestStoreRescore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	profiles := testProfiles(t)
	month := testNow()
	s, err := OpenStore(dir, StoreOptions{Profiles: profiles, Now: func() time.Time { return month }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close() }()
	rs := randomResumes(t, 3, 12)
	var reqs []PutRequest
	for _, r := range rs {
		reqs = append(reqs, PutRequest{Resume: r})
	}
	out, err := s.PutBatch(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Stale(); n != 0 {
		t.Errorf("fresh store: got %d stale; want 0", n)
	}
	if n, err := s.Rescore(ctx, nil); n != 0 || err != nil {
		t.Errorf("fresh store: Rescore = %d, %v; want 0, nil", n, err)
	}

	// A month later, every result is stale; rescoring counts current
	// positions to the new month.
	month = month.AddDate(0, 1, 0)
	if n := s.Stale(); n != len(rs) {
		t.Errorf("a month later: got %d stale; want %d", n, len(rs))
	}
	var calls [][2]int
	n, err := s.Rescore(ctx, func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if n != len(rs) || err != nil {
		t.Fatalf("Rescore = %d, %v; want %d, nil", n, err, len(rs))
	}
	if len(calls) != 1 || calls[0] != [2]int{len(rs), len(rs)} {
		t.Errorf("progress calls %v; want one (%d, %d)", calls, len(rs), len(rs))
	}
	dec := parser.Month{Year: 2026, Month: 12}
	for i, o := range out {
		c, err := s.Get(o.Candidate.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Resume.AsOf != rs[i].AsOf {
			t.Errorf("the stored resume changed its as-of month")
		}
		for _, p := range profiles {
			r := c.Results[p.ID]
			if r.AsOf != dec {
				t.Errorf("%s: got as-of %v; want %v", p.ID, r.AsOf, dec)
			}
			// The same as scoring the resume parsed a month later.
			want := scoreAs(t, p, parsed(t, rs[i].File, samples.Random(3, i), dec))
			r.Candidate = ""
			if !reflect.DeepEqual(r, want) {
				t.Errorf("%s %s: rescored result differs from a fresh parse's: score %v, want %v", rs[i].File, p.ID, r.Score, want.Score)
			}
		}
	}
	if n, _ := s.Rescore(ctx, nil); n != 0 {
		t.Errorf("second Rescore: got %d; want 0", n)
	}

	// A changed profile makes its results stale only.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SIFT_WEIGHTS_SKILLS", "5")
	it2, err := rules.Parse([]byte(itops), "yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err = OpenStore(dir, StoreOptions{Profiles: []*rules.Profile{profiles[0], it2}, Now: func() time.Time { return month }})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := s.Get(out[0].Candidate.ID)
	if n, err := s.Rescore(ctx, nil); n != len(rs) || err != nil {
		t.Fatalf("after a profile change: Rescore = %d, %v; want %d, nil", n, err, len(rs))
	}
	after, _ := s.Get(out[0].Candidate.ID)
	if after.Results["itops"].Profile.Hash != it2.Hash() {
		t.Errorf("itops result has hash %s; want the new profile's", after.Results["itops"].Profile.Hash)
	}
	if !reflect.DeepEqual(after.Results["cso"], before.Results["cso"]) {
		t.Errorf("the unchanged profile's result changed")
	}
	// The index was updated: shortlists sort on the new scores.
	sl, err := s.Shortlist(ctx, ShortlistQuery{Profile: "itops", Top: len(rs)})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range sl.Entries {
		if e.Result.Profile.Hash != it2.Hash() {
			t.Errorf("shortlist entry %s has an old result", e.ID)
		}
	}
	checkRanked(t, sl.Entries)
}

// scoreAs scores one resume against p as a Scorer does.
func scoreAs(t *testing.T, p *rules.Profile, r *parser.Resume) rules.Result {
	t.Helper()
	sc := &Scorer{Profiles: []Evaluator{&rules.Evaluator{Profile: p}}}
	out, err := sc.ScoreBatch(context.Background(), []*parser.Resume{r})
	if err != nil {
		t.Fatal(err)
	}
	return out[0][0]
}

// checkRanked checks that entries are in Compare's order.
func checkRanked(t *testing.T, es []ShortlistEntry) {
	t.Helper()
	for i := 1; i < len(es); i++ {
		if Compare(&es[i-1].Result, &es[i].Result) > 0 {
			t.Errorf("entries %d and %d out of order: %v %v %s, then %v %v %s", i-1, i,
				es[i-1].Result.Score, es[i-1].Result.Qualified, es[i-1].File, es[i].Result.Score, es[i].Result.Qualified, es[i].File)
		}
	}
}

func TestAsOfView(t *testing.T) {
	rs := randomResumes(t, 4, 30)
	for i, r := range rs {
		for _, m := range []parser.Month{{Year: 2026, Month: 11}, {Year: 2027, Month: 3}, {Year: 2026, Month: 2}, {Year: 2031, Month: 1}} {
			want := parsed(t, r.File, samples.Random(4, i), m)
			got := asOfView(r, m)
			if got.ExperienceMonths != want.ExperienceMonths {
				t.Errorf("%s as of %v: got %d months of experience; want %d", r.File, m, got.ExperienceMonths, want.ExperienceMonths)
			}
			for j := range want.Positions {
				if got.Positions[j].Months != want.Positions[j].Months {
					t.Errorf("%s as of %v: position %d: got %d months; want %d", r.File, m, j, got.Positions[j].Months, want.Positions[j].Months)
				}
			}
		}
		if r.AsOf != (parser.Month{Year: 2026, Month: 11}) {
			t.Fatalf("asOfView changed its argument")
		}
	}
}

func TestStoreConcurrent(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir())
	rs := randomResumes(t, 5, 24)
	var wg sync.WaitGroup
	ids := make(chan string, len(rs))
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(rs); i += 4 {
				out, err := s.Put(ctx, rs[i], rs[i].File)
				if err != nil {
					t.Error(err)
					return
				}
				ids <- out.Candidate.ID
				if _, err := s.Get(out.Candidate.ID); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for range 2 {
		wg.Go(func() {
			for range 20 {
				if _, err := s.Shortlist(ctx, ShortlistQuery{Top: 5, Text: "security", Where: `score >= 0.0`}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			id := <-ids
			if err := s.Delete(ctx, id); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if s.Len() != len(rs)-3 {
		t.Errorf("got Len %d; want %d", s.Len(), len(rs)-3)
	}
	sl, err := s.Shortlist(ctx, ShortlistQuery{Top: MaxTop})
	if err != nil {
		t.Fatal(err)
	}
	if sl.Total != len(rs)-3 || len(sl.Entries) != len(rs)-3 {
		t.Errorf("shortlist: total %d, %d entries; want %d", sl.Total, len(sl.Entries), len(rs)-3)
	}
}

// TestStoreRecover abandons a store as a crash would, with writes the index
// had not persisted, and checks that reopening replays them.
func TestStoreRecover(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	rs := randomResumes(t, 6, 10)
	var ids []string
	for _, r := range rs[:8] {
		out, err := s.Put(ctx, r, r.File)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.Candidate.ID)
	}
	if err := s.Delete(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	for _, r := range rs[8:] {
		out, err := s.Put(ctx, r, r.File)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.Candidate.ID)
	}
	// A replace and a delete the index may not have persisted.
	if _, err := s.Put(ctx, rs[5], rs[1].File); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	out, err := s.Put(ctx, rs[9], "late")
	if err != nil {
		t.Fatal(err)
	}
	abandon(s)

	s2 := openTest(t, dir)
	checkAgree(t, s2)
	want := []string{ids[1], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9], out.Candidate.ID}
	slices.Sort(want)
	if got := storeIDs(s2); !slices.Equal(got, want) {
		t.Errorf("after recovery: got ids %v; want %v", got, want)
	}
	c, err := s2.Get(ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if c.SHA256 != rs[5].SHA256 {
		t.Errorf("after recovery: the replaced candidate has its old content")
	}
}

// storeIDs returns the ids of the store's catalog, sorted.
func storeIDs(s *Store) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Sorted(func(yield func(string) bool) {
		for id := range s.byID {
			if !yield(id) {
				return
			}
		}
	})
}

// checkAgree checks that the files, the catalog and the index hold the same
// candidates, and that the index's scores are the files'.
func checkAgree(t *testing.T, s *Store) {
	t.Helper()
	des, err := os.ReadDir(filepath.Join(s.dir, candidatesName))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, de := range des {
		files = append(files, strings.TrimSuffix(de.Name(), ".json"))
	}
	slices.Sort(files)
	ids := storeIDs(s)
	if !slices.Equal(files, ids) {
		t.Errorf("files %v; catalog %v", files, ids)
	}
	have, err := s.indexIDs()
	if err != nil {
		t.Fatal(err)
	}
	delete(have, eraseDoc)
	idx := slices.Sorted(func(yield func(string) bool) {
		for id := range have {
			if !yield(id) {
				return
			}
		}
	})
	if !slices.Equal(idx, ids) {
		t.Errorf("index %v; catalog %v", idx, ids)
	}
	for _, p := range s.profiles {
		sl, err := s.Shortlist(context.Background(), ShortlistQuery{Profile: p.ID, Top: MaxTop})
		if err != nil {
			t.Fatal(err)
		}
		if sl.Total != len(ids) {
			t.Errorf("%s: shortlist total %d; want %d", p.ID, sl.Total, len(ids))
		}
		for _, e := range sl.Entries {
			c, err := s.Get(e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Results[p.ID], e.Result) {
				t.Errorf("%s: %s: shortlist result differs from the file's", p.ID, e.ID)
			}
		}
		checkRanked(t, sl.Entries)
	}
}

func TestStoreIndexRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	for _, r := range randomResumes(t, 7, 5) {
		if _, err := s.Put(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Without an index, or a catalog, the store rebuilds them from the files.
	if err := os.RemoveAll(filepath.Join(dir, indexName)); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, catalogName)); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, dir)
	if s2.Len() != 5 {
		t.Errorf("got Len %d; want 5", s2.Len())
	}
	checkAgree(t, s2)
}

// TestStoreRepairs opens stores left in states a crash (or a person) can
// leave: a journal entry whose file was never renamed into place, a torn
// journal line, leftover temporary files, a damaged catalog, a file the
// catalog does not know.
func TestStoreRepairs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openTest(t, dir)
	rs := randomResumes(t, 16, 4)
	var ids []string
	for _, r := range rs[:3] {
		out, err := s.Put(ctx, r, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.Candidate.ID)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// A put journaled, its file not renamed (a crash in between), then half
	// a line; a temporary file.
	j, err := os.OpenFile(filepath.Join(dir, journalName), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	j.WriteString(jop{seq: 1000, id: "00000000000000aa"}.line())
	j.WriteString("1001 put 00000000000000b")
	j.Close()
	tmp := filepath.Join(dir, candidatesName, "00000000000000aa.json.123.tmp")
	if err := os.WriteFile(tmp, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	if got := storeIDs(s); !slices.Equal(got, slices.Sorted(slices.Values(ids))) {
		t.Errorf("after a torn journal: got %v; want %v", got, ids)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("temporary file left: %v", err)
	}
	checkAgree(t, s)
	// Sequence numbers go on past the journal's.
	out, err := s.Put(ctx, rs[3], "")
	if err != nil {
		t.Fatal(err)
	}
	if s.seq <= 1000 {
		t.Errorf("got sequence %d after a journal that reached 1000; want more", s.seq)
	}
	ids = append(ids, out.Candidate.ID)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// A damaged catalog: the files are read instead.
	if err := os.WriteFile(filepath.Join(dir, catalogName), []byte(`{"format":"sift-catalog/1","seq":3,"count":9}`+"\n{"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = openTest(t, dir)
	if got := storeIDs(s); !slices.Equal(got, slices.Sorted(slices.Values(ids))) {
		t.Errorf("after a damaged catalog: got %v; want %v", got, ids)
	}
	checkAgree(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Another format is refused.
	if err := os.WriteFile(filepath.Join(dir, formatName), []byte("sift-store/9\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(dir, StoreOptions{Profiles: testProfiles(t)}); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("OpenStore of another format: got %v; want a format error", err)
	}
}

// TestStoreProfileAdded opens a store with a profile its candidates have no
// result for: shortlists of it list no one until Rescore.
func TestStoreProfileAdded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	profiles := testProfiles(t)
	s, err := OpenStore(dir, StoreOptions{Profiles: profiles[:1], Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range randomResumes(t, 17, 6) {
		if _, err := s.Put(ctx, r, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenStore(dir, StoreOptions{Profiles: profiles, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := s.Stale(); n != 6 {
		t.Errorf("got %d stale; want 6", n)
	}
	for _, q := range []ShortlistQuery{{Profile: "itops"}, {Profile: "itops", Text: "security OR manager OR sales"}} {
		sl, err := s.Shortlist(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if sl.Total != 0 || len(sl.Entries) != 0 {
			t.Errorf("%+v before Rescore: got %d entries, total %d; want none", q, len(sl.Entries), sl.Total)
		}
	}
	if n, err := s.Rescore(ctx, nil); n != 6 || err != nil {
		t.Fatalf("Rescore = %d, %v; want 6, nil", n, err)
	}
	sl, err := s.Shortlist(ctx, ShortlistQuery{Profile: "itops"})
	if err != nil {
		t.Fatal(err)
	}
	if sl.Total != 6 {
		t.Errorf("after Rescore: got total %d; want 6", sl.Total)
	}
	// The cso results were current: rescoring kept them.
	checkAgree(t, s)
}
