package scoring

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"sift/parser"
	"sift/rules"
)

// DefaultBatchSize is how many resumes a Scorer holds and scores together
// when Scorer.BatchSize is zero.
const DefaultBatchSize = 256

// An Evaluator scores a resume against one job profile, asking m where the
// profile's terms occur. The rules package's profile is meant to satisfy it;
// EvaluatorFunc adapts a function.
type Evaluator interface {
	Evaluate(res *parser.Resume, m rules.Matcher) (rules.Result, error)
}

// EvaluatorFunc adapts a function to an Evaluator.
type EvaluatorFunc func(res *parser.Resume, m rules.Matcher) (rules.Result, error)

// Evaluate calls f(res, m).
func (f EvaluatorFunc) Evaluate(res *parser.Resume, m rules.Matcher) (rules.Result, error) {
	return f(res, m)
}

// A Scorer scores resumes against job profiles in batches: it evaluates
// every resume of a batch against every profile with Workers goroutines,
// finding each resume's terms with a ResumeMatcher of its own, hands the
// results on in input order, and drops the batch's resumes before reading
// the next. Memory is bounded by the batch size, not by the number of
// resumes, and the results do not depend on BatchSize or Workers.
//
// The evidence is what an Index of the batch would give (Scorers used to
// build one per batch), at about a fifth of the cost per resume in a batch
// and an eighth for a resume alone; see BenchmarkScore and
// BenchmarkScoreOne.
type Scorer struct {
	// Profiles are the profiles to score against; each resume gets one
	// Result per profile, in this order. Required.
	Profiles []Evaluator

	// Version, when not empty, is recorded in every Result in place of the
	// evaluator's.
	Version string

	// BatchSize is how many resumes are held and scored together, their
	// results handed on in order once the whole batch is scored.
	// Zero means DefaultBatchSize.
	BatchSize int

	// Workers is how many resumes of a batch are evaluated at once.
	// Zero means runtime.GOMAXPROCS(0).
	Workers int

	// MaxEvidence caps the evidence per term group, as
	// ResumeMatcher.MaxEvidence.
	MaxEvidence int

	// indexed matches each batch through a bleve index (Index), as a
	// Scorer did before ResumeMatcher: the reference that tests and
	// benchmarks compare it with. The results are the same.
	indexed bool
}

// Scored is the outcome of one resume.
type Scored struct {
	Seq     int            // the resume's position in the input, from 0
	File    string         // the resume's File
	Results []rules.Result // one per Scorer.Profiles, in order; nil when Err is set
	Err     error          // a *ResumeError when the resume could not be scored
}

// A ResumeError reports a resume that could not be scored. It does not stop
// the others.
type ResumeError struct {
	Seq  int
	File string
	Err  error
}

func (e *ResumeError) Error() string {
	return fmt.Sprintf("scoring: resume %d (%s): %v", e.Seq, e.File, e.Err)
}

func (e *ResumeError) Unwrap() error { return e.Err }

// ErrNoProfiles is returned by a Scorer without profiles.
var ErrNoProfiles = errors.New("scoring: Scorer has no profiles")

// Stream scores resumes as they come, calling emit once per resume in input
// order, batch by batch. At most one batch of resumes is held at a time, and
// the Results handed to emit share no memory with the resumes' text, so a
// caller that keeps only the results keeps no text.
//
// A resume that cannot be scored (nil, refused by the index, or an
// evaluator's error or panic) is emitted with Err set and does not stop the
// stream. Stream stops at the first error of emit, of creating an index, or
// of ctx, and returns it.
func (s *Scorer) Stream(ctx context.Context, resumes iter.Seq[*parser.Resume], emit func(Scored) error) error {
	if len(s.Profiles) == 0 {
		return ErrNoProfiles
	}
	size := s.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	batch := make([]*parser.Resume, 0, size)
	seq := 0
	flush := func() error {
		err := s.batch(ctx, seq, batch, emit)
		seq += len(batch)
		clear(batch) // drop the texts
		batch = batch[:0]
		return err
	}
	for r := range resumes {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = append(batch, r)
		if len(batch) == size {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(batch) > 0 {
		return flush()
	}
	return ctx.Err()
}

// ScoreBatch scores resumes and returns, for each, one Result per profile.
// A resume that could not be scored has a nil entry, and the returned error
// joins a *ResumeError for each such resume; any other error returns no
// results.
func (s *Scorer) ScoreBatch(ctx context.Context, resumes []*parser.Resume) ([][]rules.Result, error) {
	out := make([][]rules.Result, len(resumes))
	var errs []error
	err := s.Stream(ctx, slices.Values(resumes), func(sc Scored) error {
		out[sc.Seq] = sc.Results
		if sc.Err != nil {
			errs = append(errs, sc.Err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

// batch scores one batch whose first resume is number seq.
func (s *Scorer) batch(ctx context.Context, seq int, batch []*parser.Resume, emit func(Scored) error) error {
	out := make([]Scored, len(batch))
	for i, r := range batch {
		out[i].Seq = seq + i
		if r == nil {
			out[i].Err = &ResumeError{Seq: seq + i, Err: errors.New("nil resume")}
			continue
		}
		out[i].File = r.File
	}
	matcher := func(i int) (rules.Matcher, error) {
		m, err := NewResumeMatcher(batch[i])
		if err != nil {
			return nil, err
		}
		m.MaxEvidence = s.MaxEvidence
		return m, nil
	}
	if s.indexed {
		x, err := s.index(batch, out)
		if err != nil {
			return err
		}
		defer x.Close()
		matcher = func(i int) (rules.Matcher, error) { return x.Matcher(strconv.Itoa(i)) }
	}

	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(batch)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(batch) || ctx.Err() != nil {
					return
				}
				if out[i].Err != nil {
					continue
				}
				m, err := matcher(i)
				if err == nil {
					out[i].Results, err = s.evaluate(m, batch[i])
				}
				if err != nil {
					out[i].Err = &ResumeError{Seq: seq + i, File: out[i].File, Err: err}
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, sc := range out {
		if err := emit(sc); err != nil {
			return err
		}
	}
	return nil
}

// index indexes a batch in a fresh in-memory index, under ids "0", "1",
// and so on, setting the error of each resume the index refuses. It is the
// way a Scorer matched before ResumeMatcher, kept for the tests and
// benchmarks that compare the two (see Scorer.indexed).
func (s *Scorer) index(batch []*parser.Resume, out []Scored) (*Index, error) {
	x, err := NewMemIndex()
	if err != nil {
		return nil, err
	}
	x.MaxEvidence = s.MaxEvidence
	cands := make([]Candidate, 0, len(batch))
	for i, r := range batch {
		if out[i].Err == nil {
			cands = append(cands, Candidate{ID: strconv.Itoa(i), Resume: r})
		}
	}
	if err := x.Add(cands...); err != nil {
		// Index one by one, so that a resume bleve refuses fails alone.
		for _, c := range cands {
			if err := x.Add(c); err != nil {
				i, _ := strconv.Atoi(c.ID)
				out[i].Err = &ResumeError{Seq: out[i].Seq, File: out[i].File, Err: err}
			}
		}
	}
	return x, nil
}

// evaluate scores one resume against every profile.
func (s *Scorer) evaluate(m rules.Matcher, r *parser.Resume) (results []rules.Result, err error) {
	results = make([]rules.Result, len(s.Profiles))
	for j, p := range s.Profiles {
		if results[j], err = safeEvaluate(p, r, m); err != nil {
			return nil, fmt.Errorf("profile %d: %w", j, err)
		}
		res := &results[j]
		if res.File == "" {
			res.File = r.File
		}
		if s.Version != "" {
			res.Version = s.Version
		}
		detach(res)
	}
	return results, nil
}

// safeEvaluate turns a panic in an evaluator into an error, so that one
// resume cannot stop a batch.
func safeEvaluate(p Evaluator, r *parser.Resume, m rules.Matcher) (res rules.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("evaluator panicked: %v", v)
		}
	}()
	return p.Evaluate(r, m)
}

// detach copies the evidence strings of res, which may be slices of the
// resume's text, so that keeping the result does not keep the text.
func detach(res *rules.Result) {
	for i := range res.Requirements {
		for j := range res.Requirements[i].Evidence {
			e := &res.Requirements[i].Evidence[j]
			e.Text = strings.Clone(e.Text)
			e.Context = strings.Clone(e.Context)
		}
	}
}
