package main

import (
	"fmt"
	"time"

	"github.com/spf13/viper"

	"sift/server"
)

// serverConfig is the server section of the configuration.
type serverConfig struct {
	Listen        string        `mapstructure:"listen"`         // address to listen on; default 127.0.0.1:8080
	Keys          []server.Key  `mapstructure:"keys"`           // API keys: id, hash (sha256 of the secret; see sift key new), scopes
	WebhookSecret string        `mapstructure:"webhook_secret"` // signs webhook deliveries (HMAC-SHA256)
	MaxBody       int64         `mapstructure:"max_body"`       // bytes of a request body
	RatePerKey    float64       `mapstructure:"rate_per_key"`   // requests per second per key
	Burst         int           `mapstructure:"burst"`          // burst per key
	MaxParses     int           `mapstructure:"max_parses"`     // documents parsed at once
	ShutdownWait  time.Duration `mapstructure:"shutdown_wait"`  // how long SIGTERM waits for requests in flight
}

func setServerDefaults(v *viper.Viper) {
	v.SetDefault("server.listen", "127.0.0.1:8080")
	v.SetDefault("server.max_body", 20<<20)
	v.SetDefault("server.rate_per_key", 20)
	v.SetDefault("server.burst", 40)
	v.SetDefault("server.max_parses", 0)
	v.SetDefault("server.shutdown_wait", 30*time.Second)
}

func (c *serverConfig) validate() []error {
	var errs []error
	for i, k := range c.Keys {
		if k.ID == "" {
			errs = append(errs, fmt.Errorf("server.keys[%d].id: empty", i))
		}
		if len(k.Hash) != 64 {
			errs = append(errs, fmt.Errorf("server.keys[%d].hash: want the 64-hex-digit sha256 of the key (sift key new prints it)", i))
		}
		for _, s := range k.Scopes {
			if s != server.ScopeRead && s != server.ScopeWrite && s != server.ScopeAdmin {
				errs = append(errs, fmt.Errorf("server.keys[%d].scopes: unknown scope %q; want read, write or admin", i, s))
			}
		}
	}
	if c.MaxBody <= 0 {
		errs = append(errs, fmt.Errorf("server.max_body: %d; want a positive number of bytes", c.MaxBody))
	}
	if c.RatePerKey <= 0 || c.Burst <= 0 {
		errs = append(errs, fmt.Errorf("server.rate_per_key and server.burst: want positive numbers"))
	}
	return errs
}
