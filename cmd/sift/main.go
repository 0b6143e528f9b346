// Command sift screens and ranks job applicants: it parses resumes, scores
// them against a job profile, and serves shortlists.
//
// Run "sift help" for the commands. Exit codes: 0 success; 1 the command
// failed; 2 bad usage or configuration; 3 the command finished but some input
// files could not be read (each is reported).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"sift/parser/worker"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitPartial = 3
)

func main() {
	if worker.IsWorker() {
		os.Exit(worker.Main())
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Main runs sift with args (without the program name) and returns the exit
// code. Tests call it to run the whole program.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	root := app.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	app.finishProfile() // when a command failed, PersistentPostRun did not run
	var ee *exitError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintln(stderr, "sift:", ee.err)
		}
		return ee.code
	case isUsage(err):
		fmt.Fprintln(stderr, "sift:", err)
		fmt.Fprintln(stderr, "Run 'sift help' for usage.")
		return exitUsage
	default:
		fmt.Fprintln(stderr, "sift:", err)
		return exitFailed
	}
}

// exitError ends the program with a given code, printing err when non-nil.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError marks a mistake in the command line or the configuration.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// usageArgs wraps a cobra argument check so that its errors are usage
// errors (exit code 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{fmt.Errorf("%s: %w", cmd.CommandPath(), err)}
		}
		return nil
	}
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}
