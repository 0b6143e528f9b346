package scoring

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sift/internal/samples"
	"sift/parser"
	"sift/rules"
)

// TestMain runs the crash test's child when SIFT_STORE_CHILD names a data
// directory (see TestStoreCrash).
func TestMain(m *testing.M) {
	if dir := os.Getenv("SIFT_STORE_CHILD"); dir != "" {
		if err := storeChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashSeed seeds the crash test's resumes.
const crashSeed = 11

// crashResume returns the crash test's n-th resume, parsed.
func crashResume(n int) (*parser.Resume, error) {
	p := &parser.Parser{AsOf: parser.Month{Year: 2026, Month: 11}}
	return p.ParseBytes(context.Background(), fmt.Sprintf("crash-%05d.txt", n), samples.RenderText(samples.Random(crashSeed, n)))
}

// storeChild writes to the store in dir until it is killed, printing each
// acknowledged operation on standard output:
//
//	put <key> <content> <id>   Put(resume <content>, key) returned
//	del <id>                   Delete(id) returned
//
// Most operations are new candidates; every 5th replaces an earlier key's
// content, every 6th is a PutBatch of three, and every 15th deletes an
// earlier candidate.
func storeChild(dir string) error {
	cso, err := rules.Builtin("cso")
	if err != nil {
		return err
	}
	it, err := rules.Parse([]byte(itops), "yaml")
	if err != nil {
		return err
	}
	s, err := OpenStore(dir, StoreOptions{Profiles: []*rules.Profile{cso, it}, Version: "test", Now: testNow})
	if err != nil {
		return err
	}
	ctx := context.Background()
	out := bufio.NewWriter(os.Stdout)
	var ids []string
	next := 0
	for op := 1; ; op++ {
		switch {
		case op%15 == 0 && len(ids) > 3:
			id := ids[len(ids)/2]
			ids = slices.Delete(ids, len(ids)/2, len(ids)/2+1)
			if err := s.Delete(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(out, "del %s\n", id)
		case op%6 == 0:
			var reqs []PutRequest
			var ns []int
			for range 3 {
				r, err := crashResume(next)
				if err != nil {
					return err
				}
				reqs = append(reqs, PutRequest{Resume: r, Key: "k" + strconv.Itoa(next)})
				ns = append(ns, next)
				next++
			}
			res, err := s.PutBatch(ctx, reqs)
			if err != nil {
				return err
			}
			for i, r := range res {
				ids = append(ids, r.Candidate.ID)
				fmt.Fprintf(out, "put %s %d %s\n", reqs[i].Key, ns[i], r.Candidate.ID)
			}
		case op%5 == 0 && next > 3:
			key := "k" + strconv.Itoa(next-3)
			content := 100000 + op
			r, err := crashResume(content)
			if err != nil {
				return err
			}
			res, err := s.Put(ctx, r, key)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "put %s %d %s\n", key, content, res.Candidate.ID)
		default:
			r, err := crashResume(next)
			if err != nil {
				return err
			}
			key := "k" + strconv.Itoa(next)
			res, err := s.Put(ctx, r, key)
			if err != nil {
				return err
			}
			ids = append(ids, res.Candidate.ID)
			fmt.Fprintf(out, "put %s %d %s\n", key, next, res.Candidate.ID)
			next++
		}
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

// TestStoreCrash kills a process writing to a store (kill -9) in the middle
// of a burst of writes, then checks that the store opens, holds every
// acknowledged write, agrees with its index, and takes the same resumes
// again as no-ops.
func TestStoreCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SIFT_STORE_CHILD="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type ack struct {
		content int
		id      string
	}
	acked := map[string]ack{}    // key -> last acknowledged put
	deleted := map[string]bool{} // ids acknowledged deleted
	byID := map[string]string{}  // id -> key
	lines := bufio.NewScanner(stdout)
	n := 0
	killed := false
	timeout := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
	defer timeout.Stop()
	for lines.Scan() {
		f := strings.Fields(lines.Text())
		switch {
		case len(f) == 4 && f[0] == "put":
			c, _ := strconv.Atoi(f[2])
			acked[f[1]] = ack{c, f[3]}
			byID[f[3]] = f[1]
		case len(f) == 2 && f[0] == "del":
			deleted[f[1]] = true
		default:
			t.Fatalf("child printed %q", lines.Text())
		}
		if n++; n == 60 && !killed {
			// Mid-burst: the child is writing its next operation now; the
			// delay moves the kill across the phases of a write.
			time.Sleep(time.Duration(rand.IntN(4000)) * time.Microsecond)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	// Lines printed before the kill are acknowledgements too, read above.
	err = cmd.Wait()
	if !killed {
		t.Fatalf("the child stopped before it was killed: %v", err)
	}
	if len(deleted) == 0 {
		t.Fatalf("no deletion was acknowledged among %d operations", n)
	}

	var log strings.Builder
	s, err := OpenStore(dir, StoreOptions{Profiles: testProfiles(t), Version: "test", Now: testNow,
		Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t.Logf("recovery:\n%s", log.String())
	checkAgree(t, s)
	var ids []string
	for key, a := range acked {
		if deleted[a.id] {
			if _, err := s.Get(a.id); err == nil {
				t.Errorf("%s (%s): acknowledged deleted, but Get finds it", a.id, key)
			}
			continue
		}
		c, err := s.Get(a.id)
		if err != nil {
			t.Errorf("%s (%s): acknowledged, but Get: %v", a.id, key, err)
			continue
		}
		want, err := crashResume(a.content)
		if err != nil {
			t.Fatal(err)
		}
		if c.SHA256 != want.SHA256 || c.ExternalID != key {
			t.Errorf("%s: got content %s key %q; want the acknowledged content %d (%s), key %q", a.id, c.SHA256[:8], c.ExternalID, a.content, want.SHA256[:8], key)
		}
		ids = append(ids, a.id)
	}
	sl, err := s.Shortlist(context.Background(), ShortlistQuery{Top: MaxTop})
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, e := range sl.Entries {
		listed[e.ID] = true
	}
	for _, id := range ids {
		if !listed[id] {
			t.Errorf("%s (%s): acknowledged, but not in the shortlist", id, byID[id])
		}
	}
	// The same resumes again: nothing changes.
	for key, a := range acked {
		if deleted[a.id] {
			continue
		}
		r, _ := crashResume(a.content)
		out, err := s.Put(context.Background(), r, key)
		if err != nil {
			t.Fatal(err)
		}
		if out.Created || out.Changed || out.Candidate.ID != a.id {
			t.Errorf("%s: re-put: got created %v changed %v id %s; want a no-op on %s", key, out.Created, out.Changed, out.Candidate.ID, a.id)
		}
	}
	t.Logf("%d operations acknowledged (%d candidates, %d deletions); the store holds %d", n, len(ids), len(deleted), s.Len())
}
