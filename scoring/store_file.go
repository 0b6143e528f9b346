package scoring

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"sift/rules"
)

// writeAtomic replaces the file at path with what write writes: to a
// temporary file in the same directory, fsync'd, renamed over path, and the
// directory fsync'd, so that after a crash the file is either the old one
// or the new one, whole.
func (s *Store) writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := s.writeTemp(path, write)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return s.syncDir(filepath.Dir(path))
}

func (s *Store) writeFileAtomic(path string, data []byte) error {
	return s.writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeTemp writes path's next content to a new temporary file next to
// it (named path.<random>.tmp, which an open removes), fsync'd, and
// returns the temporary file's name.
func (s *Store) writeTemp(path string, write func(io.Writer) error) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*"+tmpSuffix)
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	err = write(f)
	if err == nil && !s.noSync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// syncDir fsyncs a directory, making renames and removals in it durable.
func (s *Store) syncDir(dir string) error {
	if s.noSync {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// marshalCandidate encodes a candidate file. Results come before the
// resume, so that readResults can stop before the resume's text.
func marshalCandidate(c *Candidate) ([]byte, error) {
	return json.Marshal(c)
}

// readCandidate reads a candidate's file.
func (s *Store) readCandidate(id string) (*Candidate, error) {
	b, err := os.ReadFile(s.candidatePath(id))
	if err != nil {
		return nil, err
	}
	c := &Candidate{}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("%s: %w", s.candidatePath(id), err)
	}
	if c.ID != id || c.Resume == nil {
		return nil, fmt.Errorf("%s: not the file of candidate %s", s.candidatePath(id), id)
	}
	return c, nil
}

// readResult reads one result of a candidate, along with its external id,
// without decoding the resume: the file's keys are read in order and
// decoding stops at "resume", which comes last.
func (s *Store) readResult(id, profile string) (rules.Result, string, error) {
	f, err := os.Open(s.candidatePath(id))
	if err != nil {
		return rules.Result{}, "", err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReaderSize(f, 32<<10))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return rules.Result{}, "", fmt.Errorf("%s: not a candidate file", s.candidatePath(id))
	}
	var ext string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return rules.Result{}, "", fmt.Errorf("%s: %w", s.candidatePath(id), err)
		}
		switch t {
		case "external_id":
			err = dec.Decode(&ext)
		case "results":
			r, err := decodeResult(dec, profile)
			if err != nil {
				return rules.Result{}, "", fmt.Errorf("%s: %w", s.candidatePath(id), err)
			}
			return r, ext, nil
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return rules.Result{}, "", fmt.Errorf("%s: %w", s.candidatePath(id), err)
		}
	}
	return rules.Result{}, "", fmt.Errorf("%s: no results", s.candidatePath(id))
}

// decodeResult decodes the result of profile from the results object at
// dec, skipping the others'.
func decodeResult(dec *json.Decoder, profile string) (rules.Result, error) {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return rules.Result{}, fmt.Errorf("results: not an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return rules.Result{}, err
		}
		if t == profile {
			var r rules.Result
			err := dec.Decode(&r)
			return r, err
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return rules.Result{}, err
		}
	}
	return rules.Result{}, fmt.Errorf("no result for profile %q", profile)
}

// The journal: one line per operation,
//
//	<seq> <op> <id> <crc32 of the rest, 8 hex digits>
//
// with op "put" (the candidate's file was written: index it from the file)
// or "del" (the candidate was deleted: remove its file and index document).
// It holds ids only, never anything of the resume. A torn last line (a
// crash during the append) fails its CRC or lacks its newline; it and
// anything after it are cut off when the journal is opened.
type journal struct {
	f    *os.File
	size int64
	sync bool
}

type jop struct {
	seq uint64
	del bool
	id  string
}

func (o jop) line() string {
	op := "put"
	if o.del {
		op = "del"
	}
	body := strconv.FormatUint(o.seq, 10) + " " + op + " " + o.id
	return fmt.Sprintf("%s %08x\n", body, crc32.ChecksumIEEE([]byte(body)))
}

func parseJop(line string) (jop, bool) {
	i := strings.LastIndexByte(line, ' ')
	if i < 0 {
		return jop{}, false
	}
	body, sum := line[:i], line[i+1:]
	want, err := strconv.ParseUint(sum, 16, 32)
	if err != nil || len(sum) != 8 || uint32(want) != crc32.ChecksumIEEE([]byte(body)) {
		return jop{}, false
	}
	f := strings.Fields(body)
	if len(f) != 3 || (f[1] != "put" && f[1] != "del") || !validID(f[2]) {
		return jop{}, false
	}
	seq, err := strconv.ParseUint(f[0], 10, 64)
	if err != nil {
		return jop{}, false
	}
	return jop{seq: seq, del: f[1] == "del", id: f[2]}, true
}

// openJournal opens (creating) the journal and returns its operations,
// cutting off a torn tail.
func openJournal(path string, sync bool) (*journal, []jop, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	var ops []jop
	good := 0
	for good < len(data) {
		nl := bytes.IndexByte(data[good:], '\n')
		if nl < 0 {
			break
		}
		o, ok := parseJop(string(data[good : good+nl]))
		if !ok || len(ops) > 0 && o.seq <= ops[len(ops)-1].seq {
			break
		}
		ops = append(ops, o)
		good += nl + 1
	}
	j := &journal{f: f, size: int64(good), sync: sync}
	if good < len(data) {
		if err := f.Truncate(int64(good)); err != nil {
			f.Close()
			return nil, nil, err
		}
		if err := j.fsync(); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	if _, err := f.Seek(int64(good), io.SeekStart); err != nil {
		f.Close()
		return nil, nil, err
	}
	return j, ops, nil
}

// append writes ops and fsyncs.
func (j *journal) append(ops []jop) error {
	if len(ops) == 0 {
		return nil
	}
	var b strings.Builder
	for _, o := range ops {
		b.WriteString(o.line())
	}
	n, err := j.f.WriteString(b.String())
	j.size += int64(n)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return j.fsync()
}

// reset empties the journal.
func (j *journal) reset() error {
	if err := j.f.Truncate(0); err != nil {
		return err
	}
	if _, err := j.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	j.size = 0
	return j.fsync()
}

func (j *journal) fsync() error {
	if !j.sync {
		return nil
	}
	return j.f.Sync()
}

func (j *journal) close() error {
	if j == nil || j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// validID reports whether id has the form of a candidate id: lower-case hex.
func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// idLen is the length of a candidate id: 16 hex digits, 64 random bits.
const idLen = 16

// An interner shares equal strings.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func newInterner() *interner { return &interner{m: map[string]string{}} }

func (in *interner) get(s string) string {
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.m[s]; ok {
		return v
	}
	if len(in.m) < 1<<16 {
		in.m[s] = s
	}
	return s
}
