package app

import (
	"context"
	"io"

	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/exchange"
	"github.com/lurewatch/lure/store"
)

// indicatorExporter serves the dashboard's indicator export with package
// exchange, under the node's share key.
type indicatorExporter struct {
	store *store.Store
	key   []byte
	org   string
}

func (e *indicatorExporter) CanHash() bool { return len(e.key) > 0 }

func (e *indicatorExporter) ExportIndicators(ctx context.Context, actor string, req dashboard.IndicatorExport, w io.Writer) (int, error) {
	opts := exchange.ExportOptions{Since: req.Since, MinConfirmed: req.MinConfirmed, Plain: req.Plain, Org: e.org, TLP: req.TLP}
	if !req.Plain {
		opts.Key = e.key
	}
	set, err := exchange.Export(ctx, e.store, actor, req.Format, opts, w)
	return len(set.Indicators), err
}

// newIndicatorExporter is the exporter of the serve role: the sending
// organisation is the notifier of takedown notices, else "lure".
func (a *App) newIndicatorExporter(st *store.Store) dashboard.IndicatorExporter {
	org := a.opts.NotifierName
	if org == "" {
		org = "lure"
	}
	return NewIndicatorExporter(st, a.opts.ShareKey, org)
}

// NewIndicatorExporter returns the dashboard's indicator export over st:
// package exchange, contacts hashed under key (nil: plain exports only),
// org the sending organisation.
func NewIndicatorExporter(st *store.Store, key []byte, org string) dashboard.IndicatorExporter {
	return &indicatorExporter{store: st, key: key, org: org}
}
