package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sift/internal/report"
	"sift/parser"
	"sift/rules"
	"sift/scoring"
)

type scoreOptions struct {
	profile   string
	asOf      string
	top       int
	format    string
	out       string
	inProcess bool
	workers   int
}

func (a *app) scoreCommand() *cobra.Command {
	var o scoreOptions
	cmd := &cobra.Command{
		Use:   "score PATH...",
		Short: "Score and rank resumes against a job profile",
		Long: `score parses resumes (files, folders walked recursively, glob patterns)
in parallel, scores each against a job profile, and prints them ranked,
best first, with the main reason each is not higher.

Each requirement of the profile gets a status (met, partial, missing),
points, the evidence in the resume, and what would change it; a failed
knockout makes a candidate not qualified (still scored and shown). Use
"sift explain FILE" for one candidate's full breakdown, or --format html
for a report with every candidate's evidence.

A file that cannot be read (damaged, encrypted, a scan without text) is
listed with its error and the batch goes on. Exit codes: 0 every file
was scored; 3 some files could not be read (the others are in the
output); 1 the command failed; 2 bad usage.`,
		Example: `  sift score testdata/resumes
  sift score --top 10 --format html --out shortlist.html ./applicants
  sift score --profile myrole.yaml --as-of 2026-06 --format csv resumes/*.pdf`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runScore(cmd.Context(), args, o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.profile, "profile", "p", "cso", "job profile: a built-in id (see 'sift profile list') or a profile file")
	f.StringVar(&o.asOf, "as-of", "", `date that "Present" means, YYYY-MM or YYYY-MM-DD (default: today)`)
	f.IntVar(&o.top, "top", 0, "show only the N best candidates (default: all)")
	f.StringVarP(&o.format, "format", "f", "table", "output format: "+strings.Join(report.Formats, ", "))
	f.StringVarP(&o.out, "out", "o", "", "write the output to this file instead of standard output")
	f.BoolVar(&o.inProcess, "in-process", false, "parse in this process instead of isolated worker processes")
	f.IntVar(&o.workers, "workers", 0, "documents parsed at once (default: the number of CPUs)")
	return cmd
}

// scoreRun is the outcome of scoring a set of files against one profile.
type scoreRun struct {
	results  []rules.Result
	failures []report.Failure
	scored   int
}

func (a *app) runScore(ctx context.Context, args []string, o scoreOptions) error {
	if !validFormat(o.format) {
		return usagef("--format %q: want one of %s", o.format, strings.Join(report.Formats, ", "))
	}
	if o.top < 0 {
		return usagef("--top %d: want a positive number", o.top)
	}
	asOf, err := parseAsOf(o.asOf, time.Now)
	if err != nil {
		return err
	}
	profile, err := loadProfile(o.profile)
	if err != nil {
		return err
	}
	files, err := expandPaths(args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("no resume files found in %s", strings.Join(args, " "))
	}
	run, err := a.scoreFiles(ctx, files, profile, asOf, o.inProcess, o.workers, o.top)
	if err != nil {
		return err
	}
	rep := &report.Report{
		Profile:    profileInfo(profile),
		AsOf:       asOf.String(),
		Version:    version,
		Candidates: run.results,
		Failures:   run.failures,
		Total:      run.scored,
	}
	if err := a.writeOutput(o.out, func(w io.Writer) error { return report.Write(w, o.format, rep) }); err != nil {
		return err
	}
	if n := len(run.failures); n > 0 {
		return &exitError{code: exitPartial, err: fmt.Errorf("%d of %d files could not be scored", n, len(files))}
	}
	return nil
}

func validFormat(f string) bool {
	for _, ok := range report.Formats {
		if f == ok {
			return true
		}
	}
	return false
}

// scoreFiles parses files in parallel and scores them as they come, keeping
// only results (the top N when top > 0), never every text.
func (a *app) scoreFiles(ctx context.Context, files []string, profile *rules.Profile, asOf parser.Month, inProcess bool, workers, top int) (*scoreRun, error) {
	if workers <= 0 {
		workers = a.cfg.Workers
	}
	parse, closeParser := a.newParseFunc(asOf, inProcess, workers)
	defer closeParser()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	bar := newProgress(a.stderr, "scoring", len(files))
	defer bar.Finish()

	// Parsing runs ahead in its own goroutines (or worker processes) while
	// the scorer indexes and evaluates batches of what has been parsed.
	run := &scoreRun{}
	var parseFailures []report.Failure // written by the parsing goroutine until parsed is closed
	parsed := make(chan *parser.Resume, 2*workers)
	go func() {
		defer close(parsed)
		forEach(ctx, len(files), workers, func(ctx context.Context, i int) parsedFile {
			res, err := parseFile(ctx, parse, files[i], a.cfg.Limits.MaxBytes)
			return parsedFile{res, err}
		}, func(i int, p parsedFile) {
			bar.Add(1)
			res := p.res
			if res.Status != parser.StatusOK {
				parseFailures = append(parseFailures, failureOf(res, p.err))
				return
			}
			select {
			case parsed <- res:
			case <-ctx.Done():
			}
		})
	}()
	resumes := func(yield func(*parser.Resume) bool) {
		for r := range parsed {
			if !yield(r) {
				return
			}
		}
	}
	// Batches of about an eighth of the run (16 to 256 resumes) let scoring
	// start while parsing goes on, instead of waiting for a whole batch of
	// 256 in a small run; results do not depend on the batch size.
	batch := min(max(len(files)/8, 16), scoring.DefaultBatchSize)
	scorer := &scoring.Scorer{Profiles: []scoring.Evaluator{&rules.Evaluator{Profile: profile, Version: version}}, Workers: a.cfg.Workers, BatchSize: batch}
	short := scoring.Shortlist{N: top}
	err := scorer.Stream(ctx, resumes, func(s scoring.Scored) error {
		if s.Err != nil {
			run.failures = append(run.failures, report.Failure{File: s.File, Status: string(parser.StatusError), Reason: "scoring", Error: s.Err.Error()})
			return nil
		}
		run.scored++
		if top > 0 {
			short.Add(s.Results[0])
		} else {
			run.results = append(run.results, s.Results[0])
		}
		return nil
	})
	cancel()
	for range parsed {
		// Drain, so that the parsing goroutine finishes.
	}
	run.failures = append(parseFailures, run.failures...)
	if err != nil {
		return nil, err
	}
	if top > 0 {
		run.results = short.Results()
	} else {
		scoring.Rank(run.results)
	}
	return run, nil
}

// parsedFile is a parse's outcome: the Resume always, the error when it failed.
type parsedFile struct {
	res *parser.Resume
	err error
}

func failureOf(res *parser.Resume, err error) report.Failure {
	reason := parser.Reason(err)
	if reason == "" {
		reason = "error"
	}
	return report.Failure{File: res.File, Status: string(res.Status), Reason: reason, Error: res.Error}
}

func profileInfo(p *rules.Profile) report.ProfileInfo {
	info := report.ProfileInfo{ID: p.ID, Title: p.Title, Hash: p.Hash()}
	for _, r := range p.Requirements {
		info.Requirements = append(info.Requirements, report.Requirement{ID: r.ID, Requirement: r.Requirement, Weight: r.Weight, Knockout: r.Knockout})
	}
	return info
}

// writeOutput runs write on standard output, or on a file that is replaced
// only when writing succeeds. A path that exists and is not a regular file
// (/dev/null, a named pipe, a terminal) is written to as it is: renaming a
// file over it would replace the device.
func (a *app) writeOutput(path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(a.stdout)
	}
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return usagef("--out %s: is a folder", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
