// Command benchscore measures sift's whole pipeline (sift score: parse,
// index, evaluate, rank) on the PDFs of a folder, and poppler's pdftotext on
// the same PDFs in the same run, for a ratio; it also reports resumes per
// second and peak memory. Run it through scripts/bench-score.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func main() {
	dir := flag.String("dir", "", "folder of resumes (PDFs are also given to pdftotext)")
	sift := flag.String("sift", "", "sift binary")
	runs := flag.Int("runs", 3, "runs of each command, alternating; medians are reported")
	flag.Parse()
	if *dir == "" || *sift == "" {
		fmt.Fprintln(os.Stderr, "usage: benchscore -dir DIR -sift BIN [-runs N]")
		os.Exit(2)
	}
	if err := run(*dir, *sift, *runs); err != nil {
		fmt.Fprintln(os.Stderr, "benchscore:", err)
		os.Exit(1)
	}
}

type sample struct {
	wall   time.Duration
	maxRSS int64 // bytes, the largest process of the command's tree
}

func run(dir, sift string, runs int) error {
	pdfs, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		return err
	}
	cores := runtime.NumCPU()
	fmt.Printf("folder %s: %d PDFs, given to each command; %d cores; %d runs each, alternating\n", dir, len(pdfs), cores, runs)

	commands := []struct {
		name string
		fn   func() (sample, error)
	}{
		{"sift score (worker processes)", func() (sample, error) {
			return timeCmd(sift, "score", "--as-of", "2026-11", "--format", "jsonl", "--out", os.DevNull, dir)
		}},
		{"sift score --in-process", func() (sample, error) {
			return timeCmd(sift, "score", "--in-process", "--as-of", "2026-11", "--format", "jsonl", "--out", os.DevNull, dir)
		}},
		{fmt.Sprintf("pdftotext, %d at a time", cores), func() (sample, error) { return pdftotext(pdfs, cores) }},
		{"pdftotext, one at a time", func() (sample, error) { return pdftotext(pdfs, 1) }},
	}
	results := make([][]sample, len(commands))
	for r := 0; r < runs; r++ {
		for i, c := range commands {
			s, err := c.fn()
			if err != nil {
				return fmt.Errorf("%s: %w", c.name, err)
			}
			results[i] = append(results[i], s)
		}
	}
	base := median(results[2])
	for i, c := range commands {
		m := median(results[i])
		var rss int64
		for _, s := range results[i] {
			rss = max(rss, s.maxRSS)
		}
		n := len(pdfs)
		fmt.Printf("%-32s median %8.2f s  %7.1f files/s  %5.2f× pdftotext (%d at a time)  peak RSS of one process %6.1f MB\n",
			c.name, m.Seconds(), float64(n)/m.Seconds(), m.Seconds()/base.Seconds(), cores, float64(rss)/1e6)
	}
	return nil
}

func median(ss []sample) time.Duration {
	d := make([]time.Duration, len(ss))
	for i, s := range ss {
		d[i] = s.wall
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func timeCmd(name string, args ...string) (sample, error) {
	cmd := exec.Command(name, args...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	// Exit code 3 means some files could not be read: still a complete run.
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 {
		err = nil
	}
	if err != nil {
		return sample{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	return sample{wall, rss(cmd.ProcessState)}, nil
}

// pdftotext extracts the text of every PDF, n processes at a time.
func pdftotext(pdfs []string, n int) (sample, error) {
	jobs := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var peak int64
	start := time.Now()
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				cmd := exec.Command("pdftotext", "-enc", "UTF-8", p, "-")
				cmd.Stdout = io.Discard
				cmd.Run() // a PDF poppler cannot read is its failure, not the benchmark's
				if cmd.ProcessState != nil {
					mu.Lock()
					peak = max(peak, rss(cmd.ProcessState))
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range pdfs {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	return sample{time.Since(start), peak}, nil
}

func rss(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024
	}
	return 0
}
