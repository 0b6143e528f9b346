// Command gen writes sift's sample resumes to a folder: the fixed samples
// (the default), or with -random N, N generated candidates as PDFs for load
// tests and benchmarks.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"sift/internal/samples"
)

func main() {
	out := flag.String("out", "testdata/resumes", "folder to write the samples to")
	random := flag.Int("random", 0, "write this many generated candidates instead of the fixed samples")
	seed := flag.Uint64("seed", 1, "seed of the generated candidates")
	flag.Parse()
	if err := run(*out, *random, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out string, random int, seed uint64) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if random > 0 {
		for i := 0; i < random; i++ {
			name := filepath.Join(out, fmt.Sprintf("candidate-%06d.pdf", i))
			if err := os.WriteFile(name, samples.RandomPDF(seed, i), 0o644); err != nil {
				return err
			}
		}
		return nil
	}
	for _, s := range samples.All() {
		if err := os.WriteFile(filepath.Join(out, s.Name), s.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
