package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/spf13/cobra"

	"sift/parser"
	"sift/server"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		profiles  []string
		inProcess bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API for ATS integration and the shortlist pages",
		Long: `serve opens the candidate store and serves:
  /v1/...        the JSON API: push resumes, read results, shortlists, delete
  /ui/           shortlist pages for hiring managers (sign in with an API key)
  /healthz, /readyz, /metrics (Prometheus), /openapi.json

Every route but /healthz and /readyz needs an API key. Create one with
"sift key new" and put the lines it prints in the config file (server.keys).
SIGTERM or Ctrl-C stops accepting, lets requests in flight finish (up to
server.shutdown_wait), and closes the store cleanly.`,
		Example: "  sift serve --listen 127.0.0.1:8080 --data-dir /srv/sift",
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runServe(cmd.Context(), profiles, inProcess)
		},
	}
	storeFlags(cmd, &profiles)
	cmd.Flags().String("listen", "", "address to listen on (default 127.0.0.1:8080; server.listen)")
	cmd.Flags().BoolVar(&inProcess, "in-process", false, "parse uploads in this process instead of isolated worker processes")
	return cmd
}

func (a *app) runServe(ctx context.Context, profileNames []string, inProcess bool) error {
	c := a.cfg.Server
	if len(c.Keys) == 0 {
		return usagef("no API keys are configured, so nothing could use the server: run 'sift key new --id NAME --scopes read,write,admin' and add what it prints to the config file")
	}
	profiles, err := a.loadProfiles(profileNames)
	if err != nil {
		return err
	}
	st, err := a.openStore(profiles, zeroTime)
	if err != nil {
		return err
	}
	defer st.Close()
	// Results are as of each request's month; the parser's as-of only sets
	// Resume.AsOf, which the store replaces with its own month.
	parse, closeParser := a.newParseFunc(parser.Month{}, inProcess, a.cfg.Workers)
	defer closeParser()

	logger := slog.New(slog.NewTextHandler(a.stderr, nil))
	srv := &server.Server{
		Store:    st,
		Profiles: profiles,
		Parse:    server.ParseFunc(parse),
		Keys:     c.Keys,
		Limits: server.Limits{
			MaxBody:         c.MaxBody,
			RatePerKey:      c.RatePerKey,
			Burst:           c.Burst,
			MaxParses:       c.MaxParses,
			ShutdownTimeout: c.ShutdownWait,
		},
		Version:       version,
		Logger:        logger,
		WebhookSecret: c.WebhookSecret,
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", c.Listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "sift: serving on http://%s (pages at /ui/; %d candidates, profiles %s)\n", ln.Addr(), st.Len(), profileIDs(profiles))
	return srv.Serve(ctx, ln)
}
