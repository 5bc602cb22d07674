// Package eval measures how well lure's classifier separates deceptive ads
// from legitimate ones.
//
// It reads labelled data as it is published — lure's own JSON Lines, the
// EMSCAD CSV schema, DIFrauD JSON Lines and CSV exports of Russian vacancy
// sites — into Records (see Load and LoadFile), scores them with any Scorer
// (see Run), and computes a Report: precision, recall and F1 at the flag
// threshold with 95 % bootstrap intervals, PR-AUC (average precision),
// ROC-AUC, recall at fixed false-positive rates, a confusion matrix, the
// best-F1 threshold beside the flag threshold, calibration by score band
// with its expected calibration error, the same per language, kind, input
// file and named group (see Groups), recall or false-positive rate per
// labelled indicator, per-rule hit counts and precision, per-signal and
// per-variant recall, and the worst misses.
// Reports render as Markdown or JSON.
//
// The package only measures. Scoring is left to package classifier, rule
// weights to package rules, and choosing what to evaluate on to the caller
// (cmd/lure's "eval" command and the quality guard test).
package eval
