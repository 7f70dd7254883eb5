"""The conversation sidebar with a real store, offscreen."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

from localchat.core.history.store import Store
from localchat.gui.sidebar import ConversationSidebar

NOW = datetime(2025, 6, 18, 15, 0)


class Clock:
    def __init__(self, when: datetime):
        self.when = when

    def __call__(self) -> float:
        return self.when.timestamp()


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def store(data_paths, clock):
    with Store.open(data_paths.database, clock=clock) as s:
        yield s


@pytest.fixture
def make_sidebar(qtbot, store):
    made = []

    def make(**kw) -> ConversationSidebar:
        sidebar = ConversationSidebar(store, now=lambda: NOW, **kw)
        qtbot.addWidget(sidebar)
        sidebar.resize(280, 600)
        sidebar.show()
        qtbot.waitExposed(sidebar)
        made.append(sidebar)
        return sidebar

    yield make
    for sidebar in made:
        sidebar.shutdown()


def activate(qtbot, widget) -> None:
    """Shortcuts reach only the active window."""
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)


def chat(store, clock, title: str, when: datetime, text: str = "") -> int:
    clock.when = when
    conv = store.create_conversation(title=title)
    if text:
        store.add_user_message(conv.id, text)
    return conv.id


def test_conversations_are_grouped_by_date_newest_first(store, clock, make_sidebar):
    old = chat(store, clock, "March plans", datetime(2025, 3, 2, 9, 0))
    month = chat(store, clock, "Three weeks ago", NOW - timedelta(days=21))
    week = chat(store, clock, "Monday", NOW - timedelta(days=3))
    yesterday = chat(store, clock, "Late last night", datetime(2025, 6, 17, 23, 50))
    today = chat(store, clock, "This morning", datetime(2025, 6, 18, 0, 5))

    sidebar = make_sidebar()
    assert sidebar.group_labels() == ["Today", "Yesterday", "Previous 7 days", "Previous 30 days",
                                      "March 2025"]
    assert sidebar.conversation_ids() == [today, yesterday, week, month, old]


def test_new_chat_comes_from_the_button_and_ctrl_n(qtbot, make_sidebar):
    sidebar = make_sidebar()
    with qtbot.waitSignal(sidebar.new_conversation_requested, timeout=1000):
        qtbot.mouseClick(sidebar.new_chat_button, Qt.MouseButton.LeftButton)
    activate(qtbot, sidebar)
    with qtbot.waitSignal(sidebar.new_conversation_requested, timeout=1000):
        qtbot.keyClick(sidebar.conversation_list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_clicking_a_conversation_opens_it_and_new_ones_appear_on_top(qtbot, store, clock, make_sidebar):
    first = chat(store, clock, "First", NOW - timedelta(hours=2))
    second = chat(store, clock, "Second", NOW - timedelta(hours=1))
    sidebar = make_sidebar()
    item = sidebar.item_for(first)
    with qtbot.waitSignal(sidebar.conversation_selected, timeout=1000) as picked:
        qtbot.mouseClick(sidebar.conversation_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=sidebar.conversation_list.visualItemRect(item).center())
    assert picked.args == [first]

    # the window writes to the store; the list follows, selection kept
    clock.when = NOW
    third = store.create_conversation().id
    store.add_user_message(third, "Where do owls sleep?")
    qtbot.waitUntil(lambda: sidebar.conversation_ids() == [third, second, first], timeout=2000)
    assert sidebar.item_for(third).text() == "Where do owls sleep?"
    assert sidebar.conversation_list.currentItem().data(Qt.ItemDataRole.UserRole) == first


def test_rename_in_place(qtbot, store, clock, make_sidebar):
    cid = chat(store, clock, "Untitled thoughts", NOW)
    sidebar = make_sidebar()
    sidebar.start_rename(cid)
    editor = sidebar.conversation_list.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "Birthday ideas")
    with qtbot.waitSignal(sidebar.conversation_list.itemChanged, timeout=1000):  # Qt commits queued
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert store.conversation(cid).title == "Birthday ideas"
    qtbot.waitUntil(lambda: sidebar.item_for(cid).text() == "Birthday ideas", timeout=2000)


def test_delete_hides_at_once_and_undo_brings_it_back(qtbot, store, clock, make_sidebar):
    keep = chat(store, clock, "Keep", NOW - timedelta(hours=1))
    doomed = chat(store, clock, "Doomed", NOW)
    sidebar = make_sidebar()
    with qtbot.waitSignal(sidebar.conversation_deleted, timeout=1000) as deleted:
        sidebar.delete_conversation(doomed)
    assert deleted.args == [doomed]
    assert sidebar.conversation_ids() == [keep]
    assert sidebar.undo_bar.isVisible() and "Doomed" in sidebar.undo_label.text()

    with qtbot.waitSignal(sidebar.conversation_restored, timeout=1000):
        qtbot.mouseClick(sidebar.undo_button, Qt.MouseButton.LeftButton)
    assert sidebar.conversation_ids() == [doomed, keep]
    assert not sidebar.undo_bar.isVisible()


def test_when_the_undo_time_is_over_the_conversation_is_gone_for_good(qtbot, store, clock, make_sidebar):
    cid = chat(store, clock, "Temporary", NOW, "secret words")
    sidebar = make_sidebar(undo_ms=30)
    sidebar.delete_conversation(cid)
    qtbot.waitUntil(lambda: not sidebar.undo_bar.isVisible(), timeout=3000)
    assert not store.restore_conversation(cid)
    assert store.search("secret") == []


def test_the_delete_key_deletes_the_selected_conversation(qtbot, store, clock, make_sidebar):
    cid = chat(store, clock, "Press delete", NOW)
    sidebar = make_sidebar()
    sidebar.conversation_list.setCurrentItem(sidebar.item_for(cid))
    activate(qtbot, sidebar)
    sidebar.conversation_list.setFocus()
    with qtbot.waitSignal(sidebar.conversation_deleted, timeout=1000):
        qtbot.keyClick(sidebar.conversation_list, Qt.Key.Key_Delete)
    assert sidebar.conversation_ids() == []


def test_search_lists_matching_messages_and_jumps_to_one(qtbot, store, clock, make_sidebar):
    a = chat(store, clock, "Garden", NOW - timedelta(days=2), "When should I plant tomatoes?")
    b = chat(store, clock, "Cooking", NOW, "A sauce from fresh tomatoes, please.")
    sidebar = make_sidebar()
    with qtbot.waitSignal(sidebar.search_finished, timeout=2000) as done:
        qtbot.keyClicks(sidebar.search_box, "tomato")
    assert done.args == [2]
    first = sidebar.results_list.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == b
    assert "<b>tomatoes</b>" in sidebar.results_list.itemWidget(first).text()

    second = sidebar.results_list.item(1)
    with qtbot.waitSignal(sidebar.message_chosen, timeout=1000) as chosen:
        qtbot.mouseClick(sidebar.results_list.viewport(), Qt.MouseButton.LeftButton,
                         pos=sidebar.results_list.visualItemRect(second).center())
    hit = store.search("tomato")[1]
    assert chosen.args == [a, hit.message_id]
    assert store.jump_to(hit.message_id).messages[0].content == "When should I plant tomatoes?"

    with qtbot.waitSignal(sidebar.message_chosen, timeout=1000) as chosen:
        qtbot.keyClick(sidebar.search_box, Qt.Key.Key_Return)
    assert chosen.args[0] == b

    with qtbot.waitSignal(sidebar.search_finished, timeout=2000) as done:
        sidebar.search_box.setText("zucchini")
    assert done.args == [0] and sidebar.result_count() == 0
    sidebar.search_box.clear()
    assert sidebar.conversation_list.isVisible()


def test_a_long_list_loads_more_when_scrolled_to_the_end(qtbot, store, clock, make_sidebar):
    for i in range(120):
        chat(store, clock, f"chat {i}", NOW - timedelta(minutes=i))
    sidebar = make_sidebar(page_size=50)
    assert len(sidebar.conversation_ids()) == 50
    bar = sidebar.conversation_list.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert len(sidebar.conversation_ids()) == 100
    end_of_first_page = bar.maximum()
    qtbot.waitUntil(lambda: bar.maximum() > end_of_first_page, timeout=2000)  # laid out
    bar.setValue(bar.maximum())
    assert len(sidebar.conversation_ids()) == 120
    assert sidebar.conversation_ids() == list(range(1, 121))  # newest first, none twice


def test_export_writes_the_chosen_file(qtbot, store, clock, make_sidebar, tmp_path, monkeypatch):
    cid = chat(store, clock, "Recipes", NOW, "How long do eggs boil?")
    sidebar = make_sidebar()
    target = tmp_path / "recipes"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "Web page, the branch shown (*.html)"))
    written = sidebar.export_conversation(cid)
    assert written == tmp_path / "recipes.html"
    assert "How long do eggs boil?" in written.read_text(encoding="utf-8")


def test_import_adds_and_opens_the_conversation_or_says_why_not(qtbot, store, clock, make_sidebar,
                                                                tmp_path, monkeypatch):
    from localchat.core.history.export import export_conversation

    cid = chat(store, clock, "Original", NOW, "Hello")
    exported = tmp_path / "original.json"
    exported.write_text(export_conversation(store, cid, "json"), encoding="utf-8")
    sidebar = make_sidebar()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    with qtbot.waitSignal(sidebar.conversation_selected, timeout=1000) as opened:
        qtbot.mouseClick(sidebar.import_button, Qt.MouseButton.LeftButton)
    new = opened.args[0]
    assert new != cid and store.branch(new)[0].content == "Hello"
    assert new in sidebar.conversation_ids()

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    with qtbot.waitSignal(sidebar.failed, timeout=1000) as failed:
        sidebar.import_conversation()
    assert "bad.json cannot be imported" in failed.args[0]


def test_a_rows_icons_rename_and_delete_it_and_long_titles_are_elided(qtbot, store, clock, make_sidebar):
    keep = chat(store, clock, "A title far too long to fit in the sidebar's width " * 3, NOW - timedelta(hours=1))
    doomed = chat(store, clock, "Doomed", NOW)
    sidebar = make_sidebar()
    sidebar.resize(260, 400)
    view = sidebar.conversation_list
    qtbot.waitUntil(lambda: view.isVisible() and view.viewport().width() > 100, timeout=2000)
    assert view.horizontalScrollBar().maximum() == 0 and not view.horizontalScrollBar().isVisible()

    def click_icon(conversation_id: int, action: str) -> None:
        rect = view.visualItemRect(sidebar.item_for(conversation_id))
        icon = sidebar.row_actions.action_rects(rect)[action]
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=icon.center())

    with qtbot.waitSignal(sidebar.conversation_deleted, timeout=1000) as deleted:
        click_icon(doomed, "delete")
    assert deleted.args == [doomed] and sidebar.conversation_ids() == [keep]
    assert sidebar.undo_bar.isVisible()
    click_icon(keep, "rename")
    qtbot.waitUntil(lambda: view.state() == view.State.EditingState, timeout=2000)
