package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestStoreCommands runs index, shortlist, rescore and delete on one data
// directory, as a recruiter would.
func TestStoreCommands(t *testing.T) {
	data := t.TempDir()
	dir := t.TempDir()
	unique := "Quillborne Acoustics"
	os.WriteFile(filepath.Join(dir, "erase_me.txt"), []byte(`Robin Vale
robin.vale@example.com

EXPERIENCE
Security Manager, `+unique+`	Jan 2018 - Present
- Led incident response and HIPAA risk assessments for the board.

EDUCATION
B.S. Information Systems, Lakeside University, 2012
`), 0o644)
	os.WriteFile(filepath.Join(dir, "keep.txt"), []byte(`Sam Rook
EXPERIENCE
Director of Information Security, Tarnwick Mills	2015 - Present
- Led the SOC and GLBA compliance.
EDUCATION
B.S. Computer Science, Lakeside University, 2010
`), 0o644)

	base := []string{"--data-dir", data}
	code, out, stderr := run(t, append([]string{"index", "--in-process", "--as-of", "2026-11"}, append(base, dir)...)...)
	if code != exitOK || !strings.Contains(out, "2 added, 0 replaced, 0 unchanged") {
		t.Fatalf("index: exit %d, %q, %q; want 2 added", code, out, stderr)
	}
	if code, out, _ := run(t, append([]string{"index", "--in-process", "--as-of", "2026-11"}, append(base, dir)...)...); code != exitOK || !strings.Contains(out, "0 added, 0 replaced, 2 unchanged") {
		t.Errorf("index again: exit %d, %q; want 2 unchanged", code, out)
	}
	code, out, _ = run(t, append([]string{"shortlist", "--top", "5", "--format", "csv"}, append(base, "HIPAA")...)...)
	if code != exitOK || !strings.Contains(out, "erase_me.txt") || strings.Contains(out, "keep.txt") {
		t.Errorf("shortlist HIPAA: exit %d:\n%s\nwant erase_me.txt only", code, out)
	}
	code, out, _ = run(t, append([]string{"shortlist", "--where", `months("security_management") >= 120`}, base...)...)
	if code != exitOK || !strings.Contains(out, "keep.txt") || strings.Contains(out, "erase_me.txt") {
		t.Errorf("shortlist --where: exit %d:\n%s\nwant keep.txt only (143 months against 107)", code, out)
	}
	if code, _, stderr := run(t, append([]string{"shortlist", "--where", "months("}, base...)...); code != exitUsage || !strings.Contains(stderr, "invalid filter") {
		t.Errorf("bad --where: exit %d, %q; want 2", code, stderr)
	}
	t.Setenv("SIFT_WEIGHTS_LAWS", "30")
	if code, out, _ := run(t, append([]string{"rescore"}, base...)...); code != exitOK || !strings.Contains(out, "2 of 2 candidates rescored") {
		t.Errorf("rescore after a weight change: exit %d, %q", code, out)
	}

	// Erase one candidate: nothing of it may be left in the data directory.
	code, out, _ = run(t, append([]string{"shortlist", "HIPAA"}, base...)...)
	id := regexp.MustCompile(`\b[0-9a-f]{16}\b`).FindString(out)
	if id == "" {
		t.Fatalf("no candidate id in:\n%s", out)
	}
	if code, out, _ := run(t, append([]string{"delete", id}, base...)...); code != exitOK || !strings.Contains(out, "deleted "+id) {
		t.Fatalf("delete: exit %d, %q", code, out)
	}
	filepath.WalkDir(data, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, s := range []string{unique, "robin.vale", "Robin Vale", "erase_me", id} {
			if strings.Contains(strings.ToLower(string(b)), strings.ToLower(s)) {
				t.Errorf("%s still holds %q after delete", path, s)
			}
		}
		return nil
	})
	if code, _, _ := run(t, append([]string{"delete", id}, base...)...); code != exitFailed {
		t.Errorf("delete again: exit %d; want 1 (not found)", code)
	}
	if code, out, _ := run(t, append([]string{"shortlist"}, base...)...); code != exitOK || !strings.Contains(out, "keep.txt") {
		t.Errorf("shortlist after delete: exit %d:\n%s", code, out)
	}
}
