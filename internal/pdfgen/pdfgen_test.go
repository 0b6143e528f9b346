package pdfgen

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
)

func sample(compress bool) []byte {
	d := New()
	d.Producer = "sift pdfgen"
	d.Compress = compress
	p := d.AddPage(LetterW, LetterH)
	p.Rect(0, 0, 180, LetterH, Navy)
	p.Text(20, 60, Style{Font: "Helvetica-Bold", Size: 14, Color: White}, "Skills")
	p.Text(200, 60, Style{Size: 11}, "Chief Security Officer (fine print)")
	p.Text(200, 80, Style{Size: 11, Spacing: TJGaps, Ligatures: true}, "Certified firewall officer")
	p.Text(200, 100, Style{Size: 11, Spacing: Positioned}, "Positioned words here")
	p.Image(400, 400, 50, 50)
	d.AddPage(A4W, A4H).Text(72, 72, Style{Font: "Times-Roman"}, "Page two – done")
	return d.Bytes()
}

func TestDeterministic(t *testing.T) {
	for _, compress := range []bool{false, true} {
		a, b := sample(compress), sample(compress)
		if !bytes.Equal(a, b) {
			t.Errorf("compress=%v: two runs wrote different bytes", compress)
		}
	}
}

// TestReadable checks that the PDF library sift parses with opens the
// output and finds every page and text.
func TestReadable(t *testing.T) {
	for _, compress := range []bool{false, true} {
		data := sample(compress)
		r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("compress=%v: pdf.NewReader: %v", compress, err)
		}
		if got := r.NumPage(); got != 2 {
			t.Errorf("compress=%v: NumPage() = %d; want 2", compress, got)
		}
		rd, err := r.GetPlainText()
		if err != nil {
			t.Fatalf("compress=%v: GetPlainText: %v", compress, err)
		}
		text, _ := io.ReadAll(rd)
		for _, want := range []string{"Skills", "Chief Security Officer", "Positioned", "Page two"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("compress=%v: text %q lacks %q", compress, text, want)
			}
		}
	}
}

// TestPoppler checks the output against poppler, when it is installed.
func TestPoppler(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	cmd := exec.Command("pdftotext", "-", "-")
	cmd.Stdin = bytes.NewReader(sample(true))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Chief Security Officer (fine print)", "Certified firewall officer", "Positioned words here", "Page two – done"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("pdftotext output %q lacks %q", out, want)
		}
	}
}

func TestTextWidth(t *testing.T) {
	got := TextWidth(Style{Size: 10}, "ii")
	if want := 2 * 222.0 / 100; got != want {
		t.Errorf("TextWidth(ii) = %v; want %v", got, want)
	}
	if got, want := TextWidth(Style{Size: 10, Ligatures: true}, "fi"), 5.0; got != want {
		t.Errorf("TextWidth(fi ligature) = %v; want %v", got, want)
	}
}
