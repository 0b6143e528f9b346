package server

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters hold one token bucket per API key. Keys come from the
// configuration, so the map is bounded by it.
type limiters struct {
	rate  rate.Limit
	burst int

	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// newLimiters returns per-key limiters of perSecond requests with a burst;
// a negative perSecond means no limit.
func newLimiters(perSecond float64, burst int) *limiters {
	l := &limiters{rate: rate.Limit(perSecond), burst: burst, m: map[string]*rate.Limiter{}}
	if perSecond < 0 {
		l.rate = rate.Inf
	}
	return l
}

// allow takes a token for key at now. When none is left it takes nothing
// and returns how long until one is.
func (l *limiters) allow(key string, now time.Time) (bool, time.Duration) {
	if l.rate == rate.Inf {
		return true, 0
	}
	l.mu.Lock()
	lim, ok := l.m[key]
	if !ok {
		lim = rate.NewLimiter(l.rate, l.burst)
		l.m[key] = lim
	}
	l.mu.Unlock()
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Second
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}
