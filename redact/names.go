package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// givenNames are common given names of the languages lure reads, lower
// case, in their dictionary form. A word is a name when it is one of them
// or one of them with a case ending.
var givenNames = setOf(`
анна анастасия алина алена алёна александра александр алексей андрей антон артем артём
валентина валерия вика виктория виктор владимир владислав галина дарья дарина диана дмитрий
евгения евгений екатерина елена елизавета жанна игорь илья инна ирина карина катя кристина
ксения лариса людмила марина мария маша максим михаил наталья наталия наташа никита николай
оксана олеся ольга олег павел полина светлана сергей снежана таисия татьяна юлия юля яна
ярослава ярослав богдан богдана василь галина дмитро іван ірина катерина марія наталія
олександр олександра оксана сергій тетяна юлія андрій віктор владислава вікторія софія
ana andreea alina alexandra elena ioana irina maria mihaela cristina daniela gabriela
natalia oana raluca ion ionut andrei mihai vasile gheorghe dumitru adrian bogdan florin
marija jelena milica ivana ana dragana snežana snezana nikola marko milan dragan
анна мария иванка десислава гергана петя милена цветелина георги иван петър димитър
katarzyna agnieszka małgorzata malgorzata magdalena joanna aleksandra monika piotr tomasz
krzysztof paweł pawel michał michal
anna kate katie olga natasha svetlana victoria julia jessica john michael david
`)

// ambiguous names are also common words ("вера" is faith): they count only
// when capitalised.
var ambiguous = setOf(`вера надежда любовь люба мила роза лилия слава ника ива ана
ana maria ion mihai rose lily grace hope faith victoria ivana milan`)

// cues are words after which a capitalised word is taken for a name.
var cues = setOf(`спросить спрашивать звонить звоните пишите писать обращаться менеджер
менеджера координатор куратор контакт контактное лицо госпожа господин г-жа г-н пан пані
питати телефонуйте пишіть звертатися doamna domnul dna dl contact contactati intrebati
pani pan mr mrs ms miss ask call write contact`)

// surname endings of the languages lure reads.
var surnameEnds = []string{"ов", "ова", "ев", "ева", "ин", "ина", "енко", "ук", "юк", "чук", "ский", "ская",
	"ський", "ська", "ич", "escu", "eanu", "ski", "ska", "wicz", "ić", "vić", "ović", "shvili", "dze", "швили", "дзе"}

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// caseEndings are stripped to find a given name's dictionary form.
var caseEndings = []string{"ой", "ей", "ом", "ем", "ою", "ею", "а", "у", "ю", "е", "ы", "и", "і", "ї", "ei", "ul", "ului"}

func isGivenName(w string, capital bool) bool {
	if !capital && ambiguous[w] {
		return false
	}
	if givenNames[w] || capital && ambiguous[w] {
		return true
	}
	if utf8.RuneCountInString(w) < 4 {
		return false
	}
	for _, e := range caseEndings {
		stem, ok := strings.CutSuffix(w, e)
		if !ok || utf8.RuneCountInString(stem) < 3 {
			continue
		}
		for _, f := range []string{"", "а", "я", "a"} {
			if (givenNames[stem+f] || ambiguous[stem+f]) && (capital || !ambiguous[stem+f]) {
				return true
			}
		}
	}
	return false
}

func surnameLike(w string) bool {
	for _, e := range surnameEnds {
		if strings.HasSuffix(w, e) && utf8.RuneCountInString(w) > utf8.RuneCountInString(e)+2 {
			return true
		}
	}
	return false
}

type word struct {
	start, end int
	lower      string
	capital    bool
}

// words splits s into words of letters (with inner ' and -).
func words(s string) []word {
	var out []word
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if unicode.IsLetter(r2) || (r2 == '\'' || r2 == '-' || r2 == '’') && j+n2 < len(s) && letterAt(s, j+n2) {
				j += n2
				continue
			}
			break
		}
		out = append(out, word{start: i, end: j, lower: strings.ToLower(s[i:j]), capital: unicode.IsUpper(r)})
		i = j
	}
	return out
}

func letterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// names replaces name-like words: given names, capitalised words after a
// cue word, and a capitalised word next to a capitalised surname-like
// word ("Кристина Петрова", "Ion Popescu"). Placeholders are skipped.
func names(s string) string {
	ws := words(s)
	hide := make([]bool, len(ws))
	for i, w := range ws {
		if isPlaceholder(s, w) {
			continue
		}
		if isGivenName(w.lower, w.capital) {
			hide[i] = true
		}
		if i > 0 && w.capital && cues[ws[i-1].lower] {
			hide[i] = true
		}
		if i > 0 && w.capital && ws[i-1].capital && strings.TrimSpace(s[ws[i-1].end:w.start]) == "" &&
			(isGivenName(ws[i-1].lower, true) && surnameLike(w.lower) || surnameLike(ws[i-1].lower) && isGivenName(w.lower, true)) {
			hide[i-1], hide[i] = true, true
		}
	}
	var b strings.Builder
	last := 0
	for i, w := range ws {
		if !hide[i] {
			continue
		}
		b.WriteString(s[last:w.start])
		if !strings.HasSuffix(strings.TrimRight(b.String(), " "), Name) || strings.TrimSpace(s[last:w.start]) != "" {
			b.WriteString(Name)
		} else {
			// "[name] [name]" → "[name]"
			t := strings.TrimRight(b.String(), " ")
			b.Reset()
			b.WriteString(t)
		}
		last = w.end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isPlaceholder reports whether w is the word of a placeholder ("[name]").
func isPlaceholder(s string, w word) bool {
	return w.start > 0 && s[w.start-1] == '[' && w.end < len(s) && s[w.end] == ']'
}
