"""Keyword search: jieba tokens, BM25 ranking, the per-process cache rebuilt after catalog writes."""

from tests.catalog.conftest import row
from zhifa.catalog import search, services
from zhifa.catalog.search import TextIndex, tokenize


def test_tokenize_keeps_enforcement_words_and_drops_noise():
    tokens = tokenize("对擅自占道经营的，处以罚款。")
    assert "占道经营" in tokens and "罚款" in tokens
    assert "的" not in tokens and "，" not in tokens


def test_text_index_ranks_by_bm25():
    index = TextIndex.build(
        [
            (1, "城市道路 占道经营 店外经营"),
            (2, "建设工程 违法建设 规划许可"),
            (3, "经营 许可 食品"),
        ]
    )
    assert [doc for doc, _ in index.search("占道经营")][0] == 1
    assert [doc for doc, _ in index.search("违法建设", k=1)] == [2]
    assert index.search("完全无关的词语") == []
    scores = [score for _, score in index.search("经营")]
    assert scores == sorted(scores, reverse=True)


def test_search_items_ranks_the_right_item_first(catalog):
    assert search.search_items("占道经营")[0][0].code == "P2"
    assert search.search_items("违法建设")[0][0].code == "P1"
    assert search.search_items("食品安全标准")[0][0].code == "P4"
    assert search.search_items("液化气")[0][0].code == "I1"


def test_the_index_is_rebuilt_after_a_catalog_write(catalog, world):
    assert all(item.code != "P9" for item, _ in search.search_items("渣土"))
    services.create_item(
        world.guidance_user, row("P9", name="对乱倒建筑垃圾的行政处罚", keywords="渣土 建筑垃圾")
    )
    assert search.search_items("渣土")[0][0].code == "P9"
