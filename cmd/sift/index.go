package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"sift/parser"
	"sift/scoring"
)

func (a *app) indexCommand() *cobra.Command {
	var (
		profiles  []string
		asOf      string
		inProcess bool
	)
	cmd := &cobra.Command{
		Use:   "index PATH...",
		Short: "Add resumes to the candidate store",
		Long: `index parses resumes (files, folders walked recursively, globs) and adds
them to the candidate store in the data directory, scored against the
store's profiles, so that shortlists can be queried later without parsing
again (sift shortlist, sift serve).

A file is stored under its absolute path: indexing the same content again
changes nothing; a changed file replaces its candidate (same id). Files that
cannot be read are listed and the others are stored; the exit code is then 3.`,
		Example: "  sift index ./applicants\n  sift index --data-dir /srv/sift --profile cso --profile myrole.yaml resumes/*.pdf",
		Args:    usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runIndex(cmd.Context(), args, profiles, asOf, inProcess)
		},
	}
	storeFlags(cmd, &profiles)
	cmd.Flags().StringVar(&asOf, "as-of", "", `date that "Present" means for the results, YYYY-MM or YYYY-MM-DD (default: today)`)
	cmd.Flags().BoolVar(&inProcess, "in-process", false, "parse in this process instead of isolated worker processes")
	return cmd
}

// asOfTime turns --as-of into the store's clock; zero means today.
func asOfTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	m, err := parseAsOf(s, time.Now)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(m.Year, time.Month(m.Month), 15, 12, 0, 0, 0, time.UTC), nil
}

func (a *app) runIndex(ctx context.Context, args, profileNames []string, asOfFlag string, inProcess bool) error {
	asOf, err := asOfTime(asOfFlag)
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
	profiles, err := a.loadProfiles(profileNames)
	if err != nil {
		return err
	}
	st, err := a.openStore(profiles, asOf)
	if err != nil {
		return err
	}
	defer st.Close()

	month := parser.MonthOf(time.Now())
	if !asOf.IsZero() {
		month = parser.MonthOf(asOf)
	}
	parse, closeParser := a.newParseFunc(month, inProcess, a.cfg.Workers)
	defer closeParser()
	bar := newProgress(a.stderr, "indexing", len(files))
	defer bar.Finish()

	var created, changed, same int
	var failures []string
	batch := make([]scoring.PutRequest, 0, 64)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		results, err := st.PutBatch(ctx, batch)
		var pe *scoring.PutError
		for _, e := range unjoin(err) {
			if errors.As(e, &pe) {
				failures = append(failures, fmt.Sprintf("%s: %v", pe.File, pe.Err))
			} else {
				return e
			}
		}
		for _, r := range results {
			switch {
			case r == nil:
			case r.Created:
				created++
			case r.Changed:
				changed++
			default:
				same++
			}
		}
		batch = batch[:0]
		return nil
	}
	var flushErr error
	forEach(ctx, len(files), a.cfg.Workers, func(ctx context.Context, i int) parsedFile {
		res, err := parseFile(ctx, parse, files[i], a.cfg.Limits.MaxBytes)
		return parsedFile{res, err}
	}, func(i int, p parsedFile) {
		bar.Add(1)
		if p.res.Status != parser.StatusOK {
			failures = append(failures, fmt.Sprintf("%s: %s", files[i], p.res.Error))
			return
		}
		key, err := filepath.Abs(files[i])
		if err != nil {
			key = files[i]
		}
		batch = append(batch, scoring.PutRequest{Resume: p.res, Key: key})
		if len(batch) == cap(batch) && flushErr == nil {
			flushErr = flush()
		}
	})
	if flushErr == nil {
		flushErr = flush()
	}
	bar.Finish()
	if flushErr != nil {
		return flushErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%d added, %d replaced, %d unchanged; the store holds %d candidates (%s)\n", created, changed, same, st.Len(), a.cfg.DataDir)
	for _, f := range failures {
		fmt.Fprintf(a.stdout, "  could not index %s\n", f)
	}
	if len(failures) > 0 {
		return &exitError{code: exitPartial, err: fmt.Errorf("%d of %d files could not be indexed", len(failures), len(files))}
	}
	return nil
}

// unjoin splits an error made by errors.Join into its parts.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
