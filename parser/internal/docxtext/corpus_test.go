package docxtext

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"sift/parser/internal/layout"
)

// TestCorpus measures word recall against the reference text of the real
// DOCX files in the shared corpus. It runs only when SIFT_CORPUS names the
// corpus directory:
//
//	SIFT_CORPUS=/work/shared/corpus go test ./parser/internal/docxtext -run TestCorpus -v
//
// Words are maximal runs of letters, lower-cased, of three letters or
// more. Recall is the sum over words of min(ours, reference) over the
// reference's total; "all" counts the text reported hidden as read, "vis"
// does not. "extra" is the words read more often than the reference has
// them, over the reference's total (text read twice shows here).
// SIFT_CORPUS_DUMP=dir writes what was read to dir/NAME.txt.
func TestCorpus(t *testing.T) {
	root := os.Getenv("SIFT_CORPUS")
	if root == "" {
		t.Skip("set SIFT_CORPUS to the corpus directory to measure recall on real documents")
	}
	dump := os.Getenv("SIFT_CORPUS_DUMP")
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.docx"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no DOCX files under %s/docs (err %v)", root, err)
	}
	var sumAll, sumVis, sumGated float64
	gated := 0
	t.Logf("%-40s %5s %6s %6s %6s %6s %3s  %s", "file", "refwd", "all", "vis", "types", "extra", "hid", "producer")
	for _, path := range files {
		name := filepath.Base(path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		refData, err := os.ReadFile(filepath.Join(root, "reference-text", name+".txt"))
		if err != nil {
			t.Errorf("%s: no reference text: %v", name, err)
			continue
		}
		start := time.Now()
		doc, err := Extract(context.Background(), data, Options{})
		elapsed := time.Since(start)
		if err != nil {
			t.Errorf("%s: got error %v; want none", name, err)
			continue
		}
		var vis, all strings.Builder
		for _, l := range doc.Lines {
			vis.WriteString(l.Text + "\n")
		}
		all.WriteString(vis.String())
		for _, h := range doc.Hidden {
			all.WriteString(h.Text + "\n")
		}
		ref := wordCounts(string(refData))
		ours := wordCounts(all.String())
		rAll, extra := recall(ours, ref)
		rVis, _ := recall(wordCounts(vis.String()), ref)
		rTypes := typeRecall(ours, ref)
		t.Logf("%-40s %5d %6.3f %6.3f %6.3f %6.3f %3d  %s (%v)", name, total(ref), rAll, rVis, rTypes, extra, len(doc.Hidden), doc.Producer, elapsed.Round(time.Millisecond))
		sumAll += rAll
		sumVis += rVis
		if why, ok := referenceRepeats[name]; ok {
			t.Logf("  %s: token recall not gated: %s", name, why)
			if rTypes < 0.90 {
				t.Errorf("%s: distinct-word recall %.3f; want >= 0.90", name, rTypes)
			}
		} else {
			sumGated += rAll
			gated++
			if rAll < 0.90 {
				t.Errorf("%s: recall %.3f; want >= 0.90", name, rAll)
			}
		}
		if dump != "" {
			writeDump(t, filepath.Join(dump, name+".txt"), doc)
		}
	}
	n := float64(len(files))
	t.Logf("mean recall over %d files: all %.4f, visible %.4f; over the %d gated: %.4f", len(files), sumAll/n, sumVis/n, gated, sumGated/float64(gated))
	if sumGated/float64(gated) < 0.98 {
		t.Errorf("mean recall %.4f; want >= 0.98", sumGated/float64(gated))
	}
}

// referenceRepeats are files whose reference text holds text more times
// than the document shows it, so that reading it once caps token recall.
var referenceRepeats = map[string]string{
	"acv_fork_kasrin_word_with_icons.docx": "the reference has the grouped text boxes three times (run together, the DrawingML copy and the VML copy); they are read once",
}

func writeDump(t *testing.T, path string, doc *layout.Document) {
	var b strings.Builder
	for _, l := range doc.Lines {
		fmt.Fprintf(&b, "%s\t[style=%q lvl=%d size=%g b=%v i=%v caps=%v list=%v block=%v]\n", l.Text, l.Style, l.Level, l.Size, l.Bold, l.Italic, l.Caps, l.List, l.Block)
	}
	for _, h := range doc.Hidden {
		fmt.Fprintf(&b, "HIDDEN %s: %s\n", h.Reason, h.Text)
	}
	for _, w := range doc.Warnings {
		fmt.Fprintf(&b, "WARNING %s\n", w)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// typeRecall is the share of the reference's distinct words found.
func typeRecall(ours, ref map[string]int) float64 {
	hit := 0
	for w := range ref {
		if ours[w] > 0 {
			hit++
		}
	}
	if len(ref) == 0 {
		return 1
	}
	return float64(hit) / float64(len(ref))
}

func wordCounts(s string) map[string]int {
	m := map[string]int{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 3 {
			m[strings.ToLower(w)]++
		}
	}
	return m
}

func total(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

// recall returns the share of the reference's words found, and the words
// found beyond the reference's count as a share of the reference's total.
func recall(ours, ref map[string]int) (r, extra float64) {
	hit, over := 0, 0
	for w, c := range ref {
		hit += min(c, ours[w])
	}
	for w, c := range ours {
		over += max(0, c-ref[w])
	}
	n := total(ref)
	if n == 0 {
		return 1, 0
	}
	return float64(hit) / float64(n), float64(over) / float64(n)
}
