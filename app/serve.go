package app

import (
	"context"

	"github.com/lurewatch/lure/dashboard"
	"github.com/lurewatch/lure/rules"
	"github.com/lurewatch/lure/store"
)

// serveContext is what each capability of the serve role gets to wire
// itself in: see startServe.
type serveContext struct {
	ctx        context.Context // start-up
	consumeCtx context.Context // consumers and workers; cancelled at shutdown after the drain
	store      *store.Store
	pack       *rules.Pack
	indexer    *indexer
	dashboard  *dashboard.Options
}
