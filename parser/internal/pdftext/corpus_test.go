package pdftext

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"sift/parser/internal/layout"
)

// TestCorpus measures word recall against poppler's pdftotext over the
// shared corpus of real resumes. It runs only when SIFT_CORPUS names the
// corpus directory:
//
//	SIFT_CORPUS=/work/shared/corpus go test -run TestCorpus -v ./parser/internal/pdftext/
//
// SIFT_DUMP=substring prints our lines for the matching files.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("SIFT_CORPUS")
	if dir == "" {
		t.Skip("SIFT_CORPUS not set")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	labels := readLabels(t, filepath.Join(dir, "labels.tsv"))
	files, _ := filepath.Glob(filepath.Join(dir, "docs", "*.pdf"))
	sort.Strings(files)
	dump := os.Getenv("SIFT_DUMP")
	type row struct {
		name          string
		label         string
		recall, vis   float64
		ours, theirs  time.Duration
		lines, hidden int
		err           error
		warns         []string
	}
	var rows []row
	for _, f := range files {
		name := filepath.Base(f)
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Best of three runs each, to damp the noise of a shared machine.
		var ref []byte
		theirs, ours := time.Duration(1<<62), time.Duration(1<<62)
		for k := 0; k < 3; k++ {
			start := time.Now()
			ref, _ = exec.Command("pdftotext", "-q", f, "-").Output()
			theirs = min(theirs, time.Since(start))
		}
		var doc *layout.Document
		for k := 0; k < 3; k++ {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			start := time.Now()
			doc, err = Extract(ctx, data, Options{MaxPages: 50, MaxDecompressed: 200 << 20})
			ours = min(ours, time.Since(start))
			cancel()
		}
		r := row{name: name, label: labels[name], ours: ours, theirs: theirs, err: err}
		if err == nil {
			var vis, all strings.Builder
			for _, l := range doc.Lines {
				vis.WriteString(l.Text)
				vis.WriteByte('\n')
			}
			all.WriteString(vis.String())
			for _, h := range doc.Hidden {
				all.WriteString(h.Text)
				all.WriteByte('\n')
			}
			r.recall = recall(all.String(), string(ref))
			r.vis = recall(vis.String(), string(ref))
			r.lines, r.hidden = len(doc.Lines), len(doc.Hidden)
			r.warns = doc.Warnings
			if dump != "" && strings.Contains(name, dump) {
				fmt.Printf("==== %s (producer %q, %d pages)\n", name, doc.Producer, doc.Pages)
				for _, l := range doc.Lines {
					flags := ""
					if l.Bold {
						flags += "B"
					}
					if l.Italic {
						flags += "I"
					}
					if l.Caps {
						flags += "C"
					}
					if l.List {
						flags += "L"
					}
					if l.Block {
						flags += "K"
					}
					fmt.Printf("p%d c%d %5.1f %5.1f %4.1f g%4.1f %-4s| %s\n", l.Page, l.Column, l.X, l.Y, l.Size, l.Gap, flags, l.Text)
				}
				for _, h := range doc.Hidden {
					txt := h.Text
					if len(txt) > 100 {
						txt = txt[:100] + "..."
					}
					fmt.Printf("HIDDEN p%d %s: %s\n", h.Page, h.Reason, txt)
				}
				fmt.Printf("WARNINGS: %q\n", doc.Warnings)
				if os.Getenv("SIFT_MISSING") != "" {
					fmt.Printf("MISSING: %v\n", missing(all.String(), string(ref)))
				}
			}
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].recall < rows[j].recall })
	var sum float64
	var n, under int
	var ourT, theirT []time.Duration
	for _, r := range rows {
		exempt := r.label != "yes"
		mark := ""
		if exempt {
			mark = " (exempt: " + r.label + ")"
		} else {
			sum += r.recall
			n++
			if r.recall < 0.90 {
				under++
			}
		}
		ourT = append(ourT, r.ours)
		theirT = append(theirT, r.theirs)
		errs := ""
		if r.err != nil {
			errs = " ERROR " + r.err.Error()
		}
		fmt.Printf("%-58s recall %.3f visible %.3f lines %4d hidden %4d ours %6.1fms pdftotext %6.1fms%s%s\n",
			r.name, r.recall, r.vis, r.lines, r.hidden, ms(r.ours), ms(r.theirs), mark, errs)
	}
	sort.Slice(ourT, func(i, j int) bool { return ourT[i] < ourT[j] })
	sort.Slice(theirT, func(i, j int) bool { return theirT[i] < theirT[j] })
	fmt.Printf("\nfiles %d, with text %d, mean recall %.4f, under 0.90: %d\n", len(rows), n, sum/float64(n), under)
	fmt.Printf("median time: ours %.2fms, pdftotext %.2fms\n", ms(ourT[len(ourT)/2]), ms(theirT[len(theirT)/2]))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func readLabels(t *testing.T, path string) map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		parts := strings.Split(s.Text(), "\t")
		if len(parts) > 1 {
			m[parts[0]] = parts[1]
		}
	}
	return m
}

// normLig expands ligature characters in both texts before comparing (the
// reference keeps them, the extractor expands them).
var normLig = os.Getenv("SIFT_STRICT") == ""

var ligatures = strings.NewReplacer("\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl", "\ufb05", "st", "\ufb06", "st")

// words counts the words of three or more letters, lowercased.
func words(s string) map[string]int {
	m := map[string]int{}
	var cur []rune
	flush := func() {
		if len(cur) >= 3 {
			m[string(cur)]++
		}
		cur = cur[:0]
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			cur = append(cur, unicode.ToLower(r))
			continue
		}
		flush()
	}
	flush()
	return m
}

// recall is the share of the reference's words found in ours.
func recall(ours, ref string) float64 {
	if normLig {
		ours, ref = ligatures.Replace(ours), ligatures.Replace(ref)
	}
	o, r := words(ours), words(ref)
	total, hit := 0, 0
	for w, n := range r {
		total += n
		hit += min(n, o[w])
	}
	if total == 0 {
		return 1
	}
	return float64(hit) / float64(total)
}

func missing(ours, ref string) []string {
	o, r := words(ours), words(ref)
	var out []string
	for w, n := range r {
		if o[w] < n {
			out = append(out, fmt.Sprintf("%s(%d/%d)", w, o[w], n))
		}
	}
	sort.Strings(out)
	if len(out) > 80 {
		out = out[:80]
	}
	return out
}
