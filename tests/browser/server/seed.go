package main

import (
	"context"

	"github.com/lurewatch/lure/classifier"
	"github.com/lurewatch/lure/index"
	"github.com/lurewatch/lure/store"
)

// seedEnv is what a seeder writes to: the store and index of the test
// node, and the real classifier to score its ads with.
type seedEnv struct {
	store      *store.Store
	index      *index.Index
	classifier *classifier.Classifier
}

// seeders add the data each browser test file needs, after the base ads
// and before the users. Each lives in its own seed_*.go file and appends
// itself here in an init function.
var seeders []func(ctx context.Context, env seedEnv) error
