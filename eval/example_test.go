package eval_test

import (
	"context"
	"fmt"
	"io"

	"github.com/lurewatch/lure/ad"
	"github.com/lurewatch/lure/eval"
)

// lengthScorer is a stand-in scorer for the example: longer bodies score
// higher. Real callers pass a *classifier.Classifier.
type lengthScorer struct{}

func (lengthScorer) Score(_ context.Context, a ad.Ad) ad.Verdict {
	return ad.Verdict{Ad: a, Score: float64(len(a.Body))}
}

func Example() {
	ctx := context.Background()
	recs, err := eval.LoadFile(ctx, "testdata/difraud.jsonl", eval.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	results, err := eval.Run(ctx, lengthScorer{}, recs)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep := eval.Compute(results, eval.ReportOptions{Threshold: 80})
	fmt.Printf("n=%d deceptive=%d flagged: %+v\n", rep.Overall.N, rep.Overall.Positives, rep.Overall.Counts)
	if err := rep.WriteMarkdown(io.Discard); err != nil { // or WriteJSON; os.Stdout in real use
		fmt.Println(err)
	}
	// Output: n=2 deceptive=1 flagged: {TP:1 FP:1 TN:0 FN:0}
}

func ExampleDetect() {
	f, err := eval.Detect("jobs.csv", []byte("title,location,description,fraudulent\n"))
	fmt.Println(f, err)
	// Output: emscad <nil>
}

func ExampleAveragePrecision() {
	pts := []eval.Point{{Score: 0.9, Positive: true}, {Score: 0.8}, {Score: 0.7, Positive: true}, {Score: 0.6}}
	fmt.Printf("AP=%.3f ROC-AUC=%.3f\n", eval.AveragePrecision(pts), eval.ROCAUC(pts))
	// Output: AP=0.833 ROC-AUC=0.750
}
