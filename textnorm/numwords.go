package textnorm

import (
	"strconv"
	"unicode/utf8"
)

// Numbers written as words ("восемнадцать", "двадцать пять", "trei mii",
// "zero seven two one") become digits in the extraction view, so that
// ages, amounts and spelled-out phone numbers are read like written ones.
// Each digit maps back to the words it came from.

// numberWords maps a folded word to its value; values 100 and 1000 also
// multiply what precedes them.
var numberWords = func() map[string]int {
	m := map[string]int{}
	add := func(v int, words ...string) {
		for _, w := range words {
			m[w] = v
		}
	}
	// ru
	add(0, "ноль", "нуль")
	add(1, "один", "одна", "одного", "одной")
	add(2, "два", "две", "двух")
	add(3, "три", "трех")
	add(4, "четыре", "четырех")
	add(5, "пять", "пяти")
	add(6, "шесть", "шести")
	add(7, "семь", "семи")
	add(8, "восемь", "восьми")
	add(9, "девять", "девяти")
	add(10, "десять", "десяти")
	add(11, "одиннадцать")
	add(12, "двенадцать")
	add(13, "тринадцать")
	add(14, "четырнадцать")
	add(15, "пятнадцать")
	add(16, "шестнадцать", "шестнадцати")
	add(17, "семнадцать", "семнадцати")
	add(18, "восемнадцать", "восемнадцати")
	add(19, "девятнадцать", "девятнадцати")
	add(20, "двадцать", "двадцати")
	add(30, "тридцать", "тридцати")
	add(40, "сорок", "сорока")
	add(50, "пятьдесят", "пятидесяти")
	add(60, "шестьдесят")
	add(70, "семьдесят")
	add(80, "восемьдесят")
	add(90, "девяносто")
	add(100, "сто")
	add(200, "двести")
	add(300, "триста")
	add(400, "четыреста")
	add(500, "пятьсот")
	add(1000, "тысяча", "тысячи", "тысяч")
	// uk (apostrophes are separators here: "п'ять" is read as "ять")
	add(2, "дві")
	add(4, "чотири")
	add(5, "ять")
	add(6, "шість")
	add(7, "сім")
	add(8, "вісім")
	add(9, "ять")
	add(18, "вісімнадцять")
	add(19, "девятнадцять")
	add(20, "двадцять")
	add(30, "тридцять")
	add(200, "двісті")
	add(1000, "тисяча", "тисячі", "тисяч")
	// ro (diacritics folded)
	add(0, "zero")
	add(1, "unu")
	add(2, "doi", "doua")
	add(3, "trei")
	add(4, "patru")
	add(5, "cinci")
	add(6, "sase")
	add(7, "sapte")
	add(8, "opt")
	add(9, "noua")
	add(10, "zece")
	add(18, "optsprezece")
	add(19, "nouasprezece")
	add(20, "douazeci")
	add(30, "treizeci")
	add(40, "patruzeci")
	add(50, "cincizeci")
	add(100, "suta")
	add(1000, "mie", "mii")
	// en
	add(1, "one")
	add(2, "two")
	add(3, "three")
	add(4, "four")
	add(5, "five")
	add(6, "six")
	add(7, "seven")
	add(8, "eight")
	add(9, "nine")
	add(10, "ten")
	add(11, "eleven")
	add(12, "twelve")
	add(13, "thirteen")
	add(14, "fourteen")
	add(15, "fifteen")
	add(16, "sixteen")
	add(17, "seventeen")
	add(18, "eighteen")
	add(19, "nineteen")
	add(20, "twenty")
	add(30, "thirty")
	add(40, "forty")
	add(50, "fifty")
	add(100, "hundred")
	add(1000, "thousand")
	return m
}()

// connectors may join two number words of one number.
var numberConnectors = map[string]bool{"si": true, "and": true}

type numWord struct {
	lo, hi int // rune indexes in cs
	val    int
}

// digitTwin returns the digit a letter stands for inside a number
// ("89O3", "1I1", "4S6"), after folding.
func digitTwin(r rune) (rune, bool) {
	switch r {
	case 'o', 'о':
		return '0', true
	case 'i', 'l', 'і':
		return '1', true
	case 's':
		return '5', true
	case 'з':
		return '3', true
	case 'б':
		return '6', true
	}
	return 0, false
}

// numberFirst marks the runes (below 0x500) number words start with, so
// that most words are rejected without a map lookup.
var numberFirst = func() (t [0x500]bool) {
	for w := range numberWords {
		if r, _ := utf8.DecodeRuneInString(w); r < 0x500 {
			t[r] = true
		}
	}
	return t
}()

// convertNumberWords returns cs with number-word runs replaced by digits
// and digit look-alike letters between two digits turned into digits;
// out is reused.
func convertNumberWords(cs []char, out []char) []char {
	for i := 1; i+1 < len(cs); i++ {
		if !isASCIIDigit(cs[i+1].r) || !isASCIIDigit(cs[i-1].r) {
			continue
		}
		if d, ok := digitTwin(cs[i].r); ok {
			cs[i].r = d
		}
	}
	var key []byte
	var run []numWord
	lookup := func(lo, hi int) (int, bool) {
		if hi-lo < 2 || hi-lo > 14 || cs[lo].r >= 0x500 || !numberFirst[cs[lo].r] {
			return 0, false
		}
		key = key[:0]
		for _, c := range cs[lo:hi] {
			key = utf8.AppendRune(key, c.r)
		}
		v, ok := numberWords[string(key)]
		return v, ok
	}
	isConnector := func(lo, hi int) bool {
		key = key[:0]
		for _, c := range cs[lo:hi] {
			key = utf8.AppendRune(key, c.r)
		}
		return numberConnectors[string(key)]
	}
	last := 0 // cs copied up to here
	flush := func() {
		if len(run) == 0 {
			return
		}
		// combine the run into numbers: "двадцать пять" is 25, "три
		// тысячи" 3000, but "ноль девять семь" stays 0, 9, 7.
		type number struct{ lo, hi, val int }
		var nums []number
		total, cur, lo, hi, active := 0, -1, 0, 0, false
		emit := func() {
			if active {
				nums = append(nums, number{lo, hi, total + max(cur, 0)})
			}
			total, cur, active = 0, -1, false
		}
		for _, w := range run {
			switch {
			case w.val == 1000 && (cur >= 0 || !active):
				total += max(cur, 1) * 1000
				cur = -1
			case w.val == 100 && cur >= 0 && cur < 10:
				cur *= 100
			case w.val == 100 && !active:
				cur = 100
			case active && cur < 0 && w.val < 1000:
				cur = w.val
			case active && (cur >= 20 && cur%10 == 0 && cur%100 != 0 && w.val < 10 ||
				cur >= 100 && cur%100 == 0 && w.val < 100):
				cur += w.val
			default:
				emit()
				cur = w.val
				if w.val == 1000 || w.val == 100 {
					cur = -1
					total = w.val
				}
			}
			if !active {
				active, lo = true, w.lo
			}
			hi = w.hi
		}
		emit()
		for _, n := range nums {
			out = append(out, cs[last:n.lo]...)
			s, e := cs[n.lo].s, cs[n.hi-1].e
			for _, d := range strconv.Itoa(n.val) {
				out = append(out, char{d, s, e})
			}
			last = n.hi
		}
		run = run[:0]
	}
	i := 0
	for i < len(cs) {
		if !IsWord(cs[i].r) {
			i++
			continue
		}
		lo := i
		for i < len(cs) && IsWord(cs[i].r) {
			i++
		}
		if v, ok := lookup(lo, i); ok {
			run = append(run, numWord{lo, i, v})
			continue
		}
		if len(run) > 0 && i-lo <= 3 && isConnector(lo, i) {
			continue // "douazeci si cinci", "one hundred and five"
		}
		flush()
	}
	flush()
	return append(out, cs[last:]...)
}

func isASCIIDigit(r rune) bool { return '0' <= r && r <= '9' }
