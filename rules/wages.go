package rules

// WagesFile holds the reference wage table.
const WagesFile = "wages.yaml"

// Wages is the reference table behind feature pay_ratio: the typical
// monthly pay for low-skill work (cleaning, farm, warehouse, hotel,
// kitchen) in each destination country, in one currency, and the rates
// that bring stated salaries into that currency. Every entry names its
// source, so that an analyst can check why an amount counted as "far above".
type Wages struct {
	// AsOf says which year the figures describe.
	AsOf string `yaml:"as_of"`
	// Currency of Countries amounts (ISO 4217).
	Currency string `yaml:"currency"`
	// Rates converts one unit of a currency into Currency.
	Rates map[string]float64 `yaml:"rates"`
	// Countries maps an ISO 3166 alpha-2 code to its typical wage.
	Countries map[string]Wage `yaml:"countries"`
}

// Wage is the typical monthly low-skill pay of one country.
type Wage struct {
	Monthly float64 `yaml:"monthly"`
	Source  string  `yaml:"source"`
}

// InCurrency converts amount of currency cur into w.Currency; ok is false
// for a currency without a rate.
func (w *Wages) InCurrency(amount float64, cur string) (float64, bool) {
	if cur == w.Currency {
		return amount, true
	}
	r, ok := w.Rates[cur]
	return amount * r, ok
}

func validateWages(file string, w *Wages) error {
	if !currRe.MatchString(w.Currency) {
		return errAt(file, 0, "currency %q is not an ISO 4217 code", w.Currency)
	}
	for c, r := range w.Rates {
		if !currRe.MatchString(c) || !(r > 0) {
			return errAt(file, 0, "rate %s: %v: need an ISO currency code and a positive rate", c, r)
		}
	}
	for c, wg := range w.Countries {
		switch {
		case !countryRe.MatchString(c):
			return errAt(file, 0, "country %q is not an ISO alpha-2 code", c)
		case !(wg.Monthly > 0):
			return errAt(file, 0, "country %s: monthly %v must be positive", c, wg.Monthly)
		case wg.Source == "":
			return errAt(file, 0, "country %s: missing source", c)
		}
	}
	return nil
}
