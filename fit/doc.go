// Package fit learns rule weights from labelled ads: L2-regularised
// logistic regression on binary features (the rules that fired and counted
// in a verdict, plus a bias), with the regularisation strength chosen by
// stratified k-fold cross-validation, and sign constraints that keep a
// fitted pack explainable (rules of negative signals stay negative, the
// others positive). It also fits a bag-of-words logistic-regression
// baseline with the same regulariser, so rule features are measured
// against a model that knows nothing about trafficking.
//
// The package only fits. Reading labelled files is left to package eval,
// scoring to package classifier, and storing and applying weights to
// package rules (rules.Weights, Pack.ApplyWeights).
package fit
