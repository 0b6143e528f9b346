package server

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, in a registry of its own so
// that two Servers in one process (tests) do not collide.
type metrics struct {
	reg *prometheus.Registry

	requests *prometheus.CounterVec   // route, code
	latency  *prometheus.HistogramVec // route, code
	inFlight prometheus.Gauge

	parsed        *prometheus.CounterVec // format
	parseFailures *prometheus.CounterVec // reason
	parseSeconds  prometheus.Histogram
	parseWaiting  prometheus.Gauge

	webhooks     *prometheus.CounterVec // outcome: delivered, failed, dropped, retried
	webhookQueue prometheus.Gauge
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sift_http_requests_total",
			Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sift_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "code"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sift_http_requests_in_flight",
			Help: "HTTP requests being served.",
		}),
		parsed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sift_documents_parsed_total",
			Help: "Documents parsed successfully, by format.",
		}, []string{"format"}),
		parseFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sift_parse_failures_total",
			Help: "Documents that failed to parse, by reason (parser.Reason).",
		}, []string{"reason"}),
		parseSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sift_parse_duration_seconds",
			Help:    "Time to parse one document, waiting for a slot excluded.",
			Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}),
		parseWaiting: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sift_parse_waiting",
			Help: "Requests waiting for a parse slot (Limits.MaxParses).",
		}),
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sift_webhook_deliveries_total",
			Help: "Webhook deliveries by outcome: delivered, retried (one per failed attempt followed by another), failed (attempts exhausted or shut down), dropped (queue full).",
		}, []string{"outcome"}),
		webhookQueue: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sift_webhook_queue_length",
			Help: "Webhook deliveries waiting to be sent.",
		}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.inFlight, m.parsed, m.parseFailures, m.parseSeconds,
		m.parseWaiting, m.webhooks, m.webhookQueue,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, o := range []string{"delivered", "retried", "failed", "dropped"} {
		m.webhooks.WithLabelValues(o)
	}
	return m
}

func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) error {
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
