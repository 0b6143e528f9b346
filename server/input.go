package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sift/parser"
)

// An upload is a resume as a request brought it.
type upload struct {
	name       string // the file name the client gave, sanitised; "resume" when none
	data       []byte
	externalID string
}

// maxExternalID bounds an ATS's id.
const maxExternalID = 256

// readUpload reads a resume from a request in one of three forms, chosen by
// the Content-Type of the envelope (the document's own format is always
// detected from its content):
//
//   - multipart/form-data: the document in field "file", and optionally
//     "external_id";
//   - application/json: {"text": "...", "external_id": "...", "file": "name"};
//   - anything else: the body is the document; its name may come from
//     ?file= or a Content-Disposition filename.
//
// The external id may also come from ?external_id=; two different ones are
// an error. The body limit is enforced by the reader endpoint installed.
func (s *Server) readUpload(r *http.Request) (*upload, error) {
	up := &upload{}
	ct := r.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	var err error
	switch mt {
	case "multipart/form-data":
		err = s.readMultipart(r, params["boundary"], up)
	case "application/json":
		err = s.readJSON(r, up)
	default:
		up.data, err = io.ReadAll(r.Body)
		if err == nil {
			up.name = r.URL.Query().Get("file")
			if up.name == "" {
				if _, p, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err == nil {
					up.name = p["filename"]
				}
			}
		}
	}
	if err != nil {
		return nil, s.readError(err)
	}
	if q := r.URL.Query().Get("external_id"); q != "" {
		if up.externalID != "" && up.externalID != q {
			return nil, badParam("external_id", "the external_id query parameter and the body's external_id differ")
		}
		up.externalID = q
	}
	if err := checkExternalID(up.externalID); err != nil {
		return nil, err
	}
	up.name = cleanName(up.name)
	if len(up.data) == 0 {
		return nil, problem("bad-request", http.StatusBadRequest, "no document: send it as the body, as the multipart field \"file\", or as JSON {\"text\": ...}")
	}
	return up, nil
}

// readError maps an error reading the body: over the limit is 413, a
// *Problem is itself, anything else (a client gone, a broken multipart
// body) is 400.
func (s *Server) readError(err error) error {
	var mbe *http.MaxBytesError
	var p *Problem
	switch {
	case errors.As(err, &mbe):
		return tooLarge(mbe.Limit)
	case errors.As(err, &p):
		return p
	}
	return problem("bad-request", http.StatusBadRequest, "could not read the request body: "+err.Error())
}

func (s *Server) readMultipart(r *http.Request, boundary string, up *upload) error {
	if boundary == "" {
		return problem("bad-request", http.StatusBadRequest, "multipart/form-data without a boundary")
	}
	mr := multipart.NewReader(r.Body, boundary)
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch part.FormName() {
		case "file":
			if found {
				return badParam("file", "more than one file; send one resume per request")
			}
			found = true
			up.name = part.FileName()
			if up.data, err = io.ReadAll(part); err != nil {
				return err
			}
		case "external_id":
			b, err := io.ReadAll(io.LimitReader(part, maxExternalID+1))
			if err != nil {
				return err
			}
			up.externalID = string(b)
		default:
			if _, err := io.Copy(io.Discard, part); err != nil {
				return err
			}
		}
	}
	if !found {
		return badParam("file", "the multipart form has no \"file\" field")
	}
	return nil
}

func (s *Server) readJSON(r *http.Request, up *upload) error {
	var body struct {
		Text       string `json:"text"`
		ExternalID string `json:"external_id"`
		File       string `json:"file"`
	}
	d := json.NewDecoder(r.Body)
	d.DisallowUnknownFields()
	if err := d.Decode(&body); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return problem("bad-request", http.StatusBadRequest, "the JSON body is not {\"text\": ..., \"external_id\": ..., \"file\": ...}: "+err.Error())
	}
	if strings.TrimSpace(body.Text) == "" {
		return badParam("text", "text is empty")
	}
	up.data, up.externalID, up.name = []byte(body.Text), body.ExternalID, body.File
	if up.name == "" {
		up.name = "resume.txt"
	}
	return nil
}

// checkExternalID accepts up to 256 printable characters.
func checkExternalID(id string) error {
	if len(id) > maxExternalID || !utf8.ValidString(id) || strings.IndexFunc(id, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return badParam("external_id", fmt.Sprintf("external_id must be at most %d printable characters", maxExternalID))
	}
	return nil
}

// cleanName keeps the base name of a client's file name, printable and at
// most 200 bytes, so that a name never carries a path into results or logs.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	for len(name) > 200 {
		_, n := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-n]
	}
	if name == "" || name == "." || name == ".." {
		return "resume"
	}
	return name
}

// parse detects the document's format (so that an unsupported one is
// refused without using a parse slot), then parses it once one of
// Limits.MaxParses slots is free, waiting no longer than the request's
// context.
func (s *Server) parse(r *http.Request, up *upload) (*parser.Resume, error) {
	if _, err := parser.Detect(up.data); err != nil {
		s.metrics.parseFailures.WithLabelValues(parser.Reason(err)).Inc()
		return nil, &parser.Error{Op: "parse", File: up.name, Err: err}
	}
	ctx := r.Context()
	s.metrics.parseWaiting.Inc()
	select {
	case s.slots <- struct{}{}:
		s.metrics.parseWaiting.Dec()
	case <-ctx.Done():
		s.metrics.parseWaiting.Dec()
		return nil, problem("unavailable", http.StatusServiceUnavailable, "the request ended while waiting to be parsed")
	}
	defer func() { <-s.slots }()
	start := time.Now()
	res, err := s.Parse(ctx, up.name, up.data)
	s.metrics.parseSeconds.Observe(time.Since(start).Seconds())
	if err != nil {
		s.metrics.parseFailures.WithLabelValues(parser.Reason(err)).Inc()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	s.metrics.parsed.WithLabelValues(string(res.Format)).Inc()
	return res, nil
}
