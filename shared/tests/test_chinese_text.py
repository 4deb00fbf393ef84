"""yiwang_shared.chinese_text: normalisation, the one tokenizer with the domain dictionary, bigrams."""

from __future__ import annotations

import threading

from yiwang_shared import chinese_text as ct


def test_normalise_folds_width_case_and_spaces() -> None:
    assert ct.normalise("  ＡＢＣ１２３\u3000低保　申请 ") == "abc123 低保 申请"
    assert ct.normalise("") == ""


def test_domain_dictionary_is_read_from_package_data() -> None:
    words = ct.domain_words()
    assert {"低保", "最低生活保障", "营业执照"} <= words
    # The synonym groups' words are domain words too.
    assert {"医保", "医疗保险", "准生证"} <= words
    assert all(w == ct.normalise(w) for w in words)


def test_search_tokens_keep_domain_words_whole_and_add_sub_words() -> None:
    tokens = list(ct.search_tokens("高龄老年人津贴"))
    assert "老年人" in tokens
    assert "老年" in tokens
    assert "低保" in ct.search_tokens("低保申请")


def test_search_tokens_yield_a_domain_word_inside_a_longer_token() -> None:
    assert "最低生活保障" in list(ct.search_tokens("最低生活保障金"))


def test_search_tokens_normalise_first_and_are_unfiltered() -> None:
    tokens = list(ct.search_tokens("ＡＢＣ 的"))
    assert "abc" in tokens
    assert "的" in tokens
    assert list(ct.search_tokens("   ")) == []


def test_word_spans_are_the_precise_cut_with_positions() -> None:
    text = "最低生活保障怎么申请"
    spans = list(ct.word_spans(text))
    assert spans[0] == ("最低生活保障", 0, 6)
    assert "".join(w for w, _, _ in spans) == text
    assert all(text[start:end] == w for w, start, end in spans)


def test_bigrams_of_each_cjk_run() -> None:
    assert list(ct.bigrams("高龄津贴")) == ["高龄", "龄津", "津贴"]
    assert list(ct.bigrams("低保 a 证")) == ["低保"]
    assert list(ct.bigrams("abc")) == []


def test_synonyms_both_ways() -> None:
    assert ct.synonyms("低保") == ("最低生活保障",)
    assert ct.synonyms("最低生活保障") == ("低保",)
    assert ct.synonyms("营业执照") == ()


def test_is_cjk() -> None:
    assert ct.is_cjk("低保")
    assert not ct.is_cjk("低保a")
    assert not ct.is_cjk("")


def test_warm_up_builds_one_tokenizer_once_across_threads() -> None:
    seen = []

    def build() -> None:
        ct.warm_up()
        seen.append(ct._segmenter.tokenizer())

    threads = [threading.Thread(target=build) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(tok) for tok in seen}) == 1
