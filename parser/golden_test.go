package parser

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden parses every sample resume in ../testdata/resumes in process,
// as of 2026-11, and compares the Resume as indented JSON with
// ../testdata/golden/parse/<file>.json. With -update it rewrites the
// golden files instead:
//
//	go test ./parser/ -run TestGolden -update
func TestGolden(t *testing.T) {
	const in, golden = "../testdata/resumes", "../testdata/golden/parse"
	files, err := os.ReadDir(in)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(golden, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		n++
		name := f.Name()
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(in, name))
			if err != nil {
				t.Fatal(err)
			}
			p := &Parser{AsOf: Month{2026, 11}}
			res, _ := p.ParseBytes(context.Background(), name, data) // a failed parse is golden too
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join(golden, name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to write it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run go test -run TestGolden -update to rewrite it if the change is right):\n%s", name, path, lineDiff(string(got), string(want), 3))
			}
		})
	}
	if n == 0 {
		t.Fatalf("no sample resumes in %s", in)
	}
}

// lineDiff describes where got and want first differ: the differing lines
// and up to n lines before them, then up to n lines of each
// after.
func lineDiff(got, want string, n int) string {
	g := strings.Split(got, "\n")
	w := strings.Split(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	var b strings.Builder
	for k := max(0, i-n); k < i; k++ {
		fmt.Fprintf(&b, "   %4d   %s\n", k+1, g[k])
	}
	for k := i; k < len(w) && k < i+n; k++ {
		fmt.Fprintf(&b, "   %4d - %s\n", k+1, w[k])
	}
	for k := i; k < len(g) && k < i+n; k++ {
		fmt.Fprintf(&b, "   %4d + %s\n", k+1, g[k])
	}
	fmt.Fprintf(&b, "   (- golden, + got; %d lines golden, %d got)", len(w), len(g))
	return b.String()
}
