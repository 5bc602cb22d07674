// Package notice is the takedown-notice feature: notices of illegal
// content (Article 16 of the Digital Services Act) sent to the platforms
// whose ads analysts confirmed.
//
// It holds the lifecycle (typed statuses, the moves a person may make,
// when a sent notice is overdue), what a notice says about each ad
// (items built from an ad's verdict and review), and the documents a
// notice is exported as: JSON, CSV and an e-mail text. The dashboard
// serves them, and the notice pages, over HTTP.
//
// Layering: package store imports notice for the types it persists
// (Status, Notice, Item, ...) and the errors it returns; notice never
// imports store. Notice declares the small Store interface it needs,
// which *store.Notices implements: the store executes each change in one
// SQL transaction, conditional on the status notice checked the move
// against, and answers ErrStatusChanged when the notice moved meanwhile.
// The crawler's own moves (closing a notice whose every ad it verified
// removed, reopening one when an ad comes back) run in the store's
// transaction that records the removal, with the statuses declared here.
package notice
