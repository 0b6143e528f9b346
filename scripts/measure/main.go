// Command measure checks sift's parser against a corpus of real resumes:
// word recall against poppler's pdftotext, field accuracy against hand-read
// labels, crashes and hangs, and parse time side by side with pdftotext.
//
// Run it through scripts/measure-corpus, which installs poppler-utils when
// missing:
//
//	scripts/measure-corpus                  # recall and field accuracy, per file and in sum
//	scripts/measure-corpus -bench -runs 5   # time per file, sift vs pdftotext, medians
//	scripts/measure-corpus -memory          # peak memory parsing a generated 30-page PDF
//	scripts/measure-corpus -score           # tiers against the labels' cso_fit
//
// The corpus (a folder with docs/, labels.tsv and MANIFEST.tsv) is never
// copied into the project.
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"sift/parser"
	"sift/parser/worker"
)

func main() {
	if worker.IsWorker() {
		os.Exit(worker.Main())
	}
	corpus := flag.String("corpus", "../shared/corpus", "corpus folder (docs/, labels.tsv, MANIFEST.tsv)")
	only := flag.String("only", "", "measure only files whose name contains this")
	bench := flag.Bool("bench", false, "time sift and pdftotext on every PDF, side by side")
	runs := flag.Int("runs", 5, "timed runs per file and tool with -bench")
	memory := flag.Bool("memory", false, "measure peak memory parsing a generated 30-page PDF")
	scores := flag.Bool("score", false, "score the corpus with the CSO profile and compare tiers with the labels' cso_fit")
	verbose := flag.Bool("v", false, "print every file's row, not only the summary and the misses")
	timeout := flag.Duration("timeout", 30*time.Second, "a parse taking longer than this counts as a hang")
	flag.Parse()

	var err error
	switch {
	case *scores:
		err = measureScores(*corpus, *only, *timeout)
	case *memory:
		err = measureMemory(*corpus)
	case *bench:
		err = measureSpeed(*corpus, *only, *runs)
	default:
		err = measureQuality(*corpus, *only, *timeout, *verbose)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "measure:", err)
		os.Exit(1)
	}
}

// asOf is the month the corpus labels count "Present" as.
var asOf = parser.Month{Year: 2026, Month: 11}

type label struct {
	hasText   string
	degree    string
	months    string
	positions string
	certs     []string
}

func readTSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []map[string]string
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, k := range rows[0] {
			if i < len(row) {
				m[k] = row[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}

func corpusFiles(corpus, only string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(corpus, "docs"))
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.Contains(e.Name(), only) {
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	return files, nil
}

// words counts the words of three or more letters in s, lower-cased.
func words(s string) map[string]int {
	m := map[string]int{}
	var w []rune
	flush := func() {
		if len(w) >= 3 {
			m[strings.ToLower(string(w))]++
		}
		w = w[:0]
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			w = append(w, r)
		} else {
			flush()
		}
	}
	flush()
	return m
}

// recall is the share of ref's words (with multiplicity) found in got.
func recall(ref, got map[string]int) (float64, int) {
	total, found := 0, 0
	for w, n := range ref {
		total += n
		found += min(n, got[w])
	}
	if total == 0 {
		return 1, 0
	}
	return float64(found) / float64(total), total
}

func pdftotext(path string) (string, error) {
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	return string(out), err
}

// parseIsolated parses in a worker process, as sift does: a parse that
// overruns the timeout is killed and reported as a hang, one that crashes
// the worker as a crash, and the measurement goes on.
func parseIsolated(pool *worker.Pool, path string) (*parser.Resume, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return pool.ParseBytes(context.Background(), filepath.Base(path), data)
}

func highestLevel(r *parser.Resume) string {
	best := ""
	for _, e := range r.Education {
		if !e.InProgress && parser.LevelRank(e.Level) > parser.LevelRank(best) {
			best = e.Level
		}
	}
	if best == "" {
		return "none"
	}
	return best
}

// normCert lower-cases a certification name and keeps only its letters,
// digits and "+", without the filler words labels and resumes differ on
// ("AWS Certified Security - Specialty" is "AWS Security Specialty").
func normCert(s string) string {
	s = strings.ToLower(s)
	for _, filler := range []string{"certified", "certification", "certificate"} {
		s = strings.ReplaceAll(s, filler, "")
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// certMatch reports whether two certification names denote the same one:
// equal after normalising, or one a prefix-like part of the other ("AWS
// Certified Solutions Architect" and its "- Associate" form).
func certMatch(a, b string) bool {
	a, b = normCert(a), normCert(b)
	if a == "" || b == "" {
		return false
	}
	return a == b || len(a) >= 4 && strings.Contains(b, a) || len(b) >= 4 && strings.Contains(a, b)
}

func countMatches(xs, ys []string) int {
	n := 0
	for _, x := range xs {
		for _, y := range ys {
			if certMatch(x, y) {
				n++
				break
			}
		}
	}
	return n
}

func measureQuality(corpus, only string, timeout time.Duration, verbose bool) error {
	labelRows, err := readTSV(filepath.Join(corpus, "labels.tsv"))
	if err != nil {
		return err
	}
	labels := map[string]label{}
	for _, row := range labelRows {
		var certs []string
		for _, c := range strings.Split(row["certifications"], ";") {
			if c = strings.TrimSpace(c); c != "" {
				certs = append(certs, c)
			}
		}
		labels[row["file"]] = label{row["has_text"], row["highest_degree"], row["security_mgmt_months"] + "/" + row["total_experience_months"], row["positions"], certs}
	}
	files, err := corpusFiles(corpus, only)
	if err != nil {
		return err
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		return fmt.Errorf("pdftotext not found: run scripts/measure-corpus, which installs poppler-utils")
	}

	pool := &worker.Pool{Parser: parser.Parser{AsOf: asOf, Timeout: timeout}, Size: 2}
	defer pool.Close()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\tstatus\trecall\tvisible\tdegree\tmonths\tpositions\tcerts(ours/label/matched)\tnote")
	var (
		crashes, hangs, pdfText, under90  int
		recallSum                         float64
		degreeN, degreeOK                 int
		monthsN, monthsOK                 int
		posN, posOK, posNear              int
		certOurs, certLabel, certMatchedO int
		certMatchedL                      int
		statusWrong                       int
		worst                             []string
	)
	for _, name := range files {
		path := filepath.Join(corpus, "docs", name)
		lab, hasLabel := labels[name]
		res, err := parseIsolated(pool, path)
		if errors.Is(err, parser.ErrTimeout) {
			hangs++
			fmt.Fprintf(tw, "%s\tHANG\t\t\t\t\t\t\t\n", name)
			continue
		}
		if res == nil || errors.Is(err, parser.ErrPanic) || errors.Is(err, parser.ErrTooLarge) && res.Format == "" {
			crashes++
			fmt.Fprintf(tw, "%s\tCRASH\t\t\t\t\t\t\t%v\n", name, err)
			continue
		}
		row := []string{name, string(res.Status), "", "", "", "", "", "", ""}
		note := ""
		wantText := !hasLabel || lab.hasText == "yes"
		if hasLabel && lab.hasText != "garbled" && (lab.hasText == "no") != (res.Status == parser.StatusNoText) {
			statusWrong++
			note += fmt.Sprintf("label has_text=%s; ", lab.hasText)
		}
		if strings.HasSuffix(name, ".pdf") {
			ref, perr := pdftotext(path)
			if perr == nil && wantText {
				var hidden strings.Builder
				for _, h := range res.HiddenText {
					hidden.WriteString(h.Text)
					hidden.WriteByte('\n')
				}
				refW := words(ref)
				all, total := recall(refW, words(res.Text+"\n"+hidden.String()))
				vis, _ := recall(refW, words(res.Text))
				if total > 0 {
					pdfText++
					recallSum += all
					if all < 0.90 {
						under90++
					}
					row[2], row[3] = fmt.Sprintf("%.3f", all), fmt.Sprintf("%.3f", vis)
					if all < 0.98 {
						worst = append(worst, fmt.Sprintf("%.3f %s", all, name))
					}
				}
			}
		}
		if hasLabel && res.Status == parser.StatusOK {
			got := highestLevel(res)
			row[4] = got + "/" + lab.degree
			if lab.degree != "unknown" && lab.degree != "" {
				degreeN++
				if got == lab.degree {
					degreeOK++
				} else {
					note += "degree; "
				}
			}
			total := strings.SplitN(lab.months, "/", 2)[1]
			row[5] = fmt.Sprintf("%d/%s", res.ExperienceMonths, total)
			if want, err := strconv.Atoi(total); err == nil {
				monthsN++
				if diff := abs(res.ExperienceMonths - want); float64(diff) <= max(6, 0.1*float64(want)) {
					monthsOK++
				} else {
					note += "months; "
				}
			}
			row[6] = fmt.Sprintf("%d/%s", len(res.Positions), lab.positions)
			if want, err := strconv.Atoi(lab.positions); err == nil {
				posN++
				if len(res.Positions) == want {
					posOK++
				}
				if abs(len(res.Positions)-want) <= 1 {
					posNear++
				}
			}
			mo, ml := countMatches(res.Certifications, lab.certs), countMatches(lab.certs, res.Certifications)
			certOurs += len(res.Certifications)
			certLabel += len(lab.certs)
			certMatchedO += mo
			certMatchedL += ml
			row[7] = fmt.Sprintf("%d/%d/%d", len(res.Certifications), len(lab.certs), ml)
		}
		row[8] = strings.TrimSuffix(note, "; ")
		if verbose || note != "" || row[2] != "" && row[2] < "0.980" {
			fmt.Fprintln(tw, strings.Join(row, "\t"))
		}
	}
	tw.Flush()

	fmt.Println()
	fmt.Printf("files: %d   crashes: %d   hangs: %d   status disagreeing with has_text: %d\n", len(files), crashes, hangs, statusWrong)
	if pdfText > 0 {
		fmt.Printf("word recall vs pdftotext (PDFs with a text layer, visible+hidden): mean %.4f over %d PDFs; under 0.90: %d\n", recallSum/float64(pdfText), pdfText, under90)
	}
	sort.Strings(worst)
	if len(worst) > 0 {
		fmt.Printf("under 0.98: %s\n", strings.Join(worst, ", "))
	}
	pct := func(a, b int) string {
		if b == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.1f%% (%d/%d)", 100*float64(a)/float64(b), a, b)
	}
	fmt.Printf("highest degree level exact: %s\n", pct(degreeOK, degreeN))
	fmt.Printf("experience months within max(6, 10%%): %s\n", pct(monthsOK, monthsN))
	fmt.Printf("positions count exact: %s; within 1: %s\n", pct(posOK, posN), pct(posNear, posN))
	fmt.Printf("certifications precision: %s; recall: %s\n", pct(certMatchedO, certOurs), pct(certMatchedL, certLabel))
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// measureSpeed times, for every PDF, sift's parse (in process, the whole
// pipeline: text, layout and structure) and pdftotext (text extraction
// alone, as a process), alternating runs so that both see the same machine
// load. It reports per-file medians and the median over files.
func measureSpeed(corpus, only string, runs int) error {
	files, err := corpusFiles(corpus, only)
	if err != nil {
		return err
	}
	p := parser.Parser{AsOf: asOf}
	var siftMed, popMed []time.Duration
	var ratios []float64
	for _, name := range files {
		if !strings.HasSuffix(name, ".pdf") {
			continue
		}
		path := filepath.Join(corpus, "docs", name)
		var s, q []time.Duration
		for i := 0; i < runs; i++ {
			start := time.Now()
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			p.ParseBytes(context.Background(), name, data)
			s = append(s, time.Since(start))

			start = time.Now()
			cmd := exec.Command("pdftotext", "-enc", "UTF-8", path, "-")
			cmd.Stdout = io.Discard
			cmd.Run()
			q = append(q, time.Since(start))
		}
		ms, mq := median(s), median(q)
		siftMed = append(siftMed, ms)
		popMed = append(popMed, mq)
		ratios = append(ratios, float64(ms)/float64(mq))
	}
	sort.Float64s(ratios)
	fmt.Printf("PDFs: %d, runs per file and tool: %d\n", len(siftMed), runs)
	fmt.Printf("median per resume: sift %.2f ms, pdftotext %.2f ms (ratio sift/pdftotext of the medians %.2f)\n",
		ms(median(siftMed)), ms(median(popMed)), float64(median(siftMed))/float64(median(popMed)))
	if len(ratios) > 0 {
		fmt.Printf("per-file ratio sift/pdftotext: median %.2f, worst %.2f\n", ratios[len(ratios)/2], ratios[len(ratios)-1])
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// measureMemory parses 30-page PDFs in a fresh process each and reports
// that process's peak resident memory: one generated by sift's PDF writer,
// and one made by joining corpus PDFs with pdfunite (real fonts and images
// from many producers), when pdfunite is installed.
func measureMemory(corpus string) error {
	dir, err := os.MkdirTemp("", "sift-measure")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := filepath.Join(dir, "sift")
	build := exec.Command("go", "build", "-o", bin, "./cmd/sift")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building sift: %w", err)
	}
	generated := filepath.Join(dir, "generated-30-pages.pdf")
	if err := os.WriteFile(generated, longPDF(30), 0o644); err != nil {
		return err
	}
	pdfs := []string{generated}
	if joined, err := joinCorpus(corpus, dir, 30); err == nil {
		pdfs = append(pdfs, joined)
	} else {
		fmt.Printf("(no joined corpus PDF: %v)\n", err)
	}
	for _, pdf := range pdfs {
		var out bytes.Buffer
		cmd := exec.Command(bin, "parse", "--in-process", "--json", "--as-of", "2026-11", pdf)
		cmd.Stdout = &out
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("sift parse %s: %w", pdf, err)
		}
		fmt.Printf("%s (%d bytes): peak resident memory of 'sift parse --in-process' %.1f MB, %.0f ms; output %d bytes\n",
			filepath.Base(pdf), fileSize(pdf), float64(maxRSS(cmd.ProcessState))/1e6, ms(time.Since(start)), out.Len())
	}
	return nil
}

// joinCorpus joins corpus PDFs, largest first, until the result has at least
// pages pages.
func joinCorpus(corpus, dir string, pages int) (string, error) {
	if _, err := exec.LookPath("pdfunite"); err != nil {
		return "", err
	}
	paths, err := filepath.Glob(filepath.Join(corpus, "docs", "*.pdf"))
	if err != nil || len(paths) == 0 {
		return "", fmt.Errorf("no corpus PDFs in %s", corpus)
	}
	sort.Slice(paths, func(i, j int) bool { return fileSize(paths[i]) > fileSize(paths[j]) })
	var picked []string
	total := 0
	for _, p := range paths {
		out, err := exec.Command("pdfinfo", p).Output()
		if err != nil {
			continue
		}
		n := 0
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "Pages:") {
				n, _ = strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "Pages:")))
			}
		}
		picked = append(picked, p)
		if total += n; total >= pages {
			break
		}
	}
	joined := filepath.Join(dir, fmt.Sprintf("corpus-joined-%d-pages.pdf", total))
	args := append(picked, joined)
	if out, err := exec.Command("pdfunite", args...).CombinedOutput(); err != nil {
		return "", fmt.Errorf("pdfunite: %v: %s", err, out)
	}
	return joined, nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}
