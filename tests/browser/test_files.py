"""Files in a real browser: paste an image into a forum reply and see it; share a PDF in the
resources library and download it."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import logged_in, screenshot, serving
from tests.core.uploads import samples


@pytest.fixture(scope="module")
def files_live(tmp_path_factory):
    with serving(tmp_path_factory, "files-live", ["forums", "resources"]) as site:
        yield site


@pytest.fixture(scope="module")
def secrets(files_live):
    """Alice and Bob in the public community "jardins", with a topic; their session cookies."""
    live = files_live

    async def make(site):
        from tisserand.plugins.forums import service
        from tisserand.testing.factory import Factory
        from tisserand.web.community import community_view

        factory = Factory(site)
        alice = await factory.member("alice", display_name="Alice Martin")
        bob = await factory.member("bob", display_name="Bob Roy")
        community = await factory.community("jardins", members={alice: "member", bob: "member"})
        await service.create_topic(await community_view(community, alice), title="Montrez vos fours",
                                   body="Des photos ?")
        return await live.open_sessions(site, [alice, bob])

    return live.run(make)


def png_base64() -> str:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 90, 20)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


PASTE = """([selector, data]) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const file = new File([bytes], "capture.png", {type: "image/png"});
  const transfer = new DataTransfer();
  transfer.items.add(file);
  const target = document.querySelector(selector);
  target.focus();
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""


def test_paste_an_image_into_a_reply_and_see_it(files_live, secrets, new_page):
    live = files_live
    bob = logged_in(new_page, live, secrets["bob"])
    bob.goto(live.url + "/c/jardins/forum")
    bob.get_by_role("link", name="Montrez vos fours").click()
    bob.on("dialog", lambda dialog: dialog.accept("Un four à pain en briques"))
    textarea = bob.get_by_label("Message")
    textarea.fill("Voici le mien :")
    selector = "#" + textarea.get_attribute("id")
    bob.evaluate(PASTE, [selector, png_base64()])
    expect(textarea).to_have_value(re.compile(r"/uploads/"))
    assert "![Un four à pain en briques](/uploads/" in textarea.input_value()
    bob.get_by_role("button", name="Reply", exact=True).click()
    bob.wait_for_load_state()
    image = bob.locator(".post img[alt='Un four à pain en briques']")
    image.wait_for()
    expect(image).to_have_js_property("naturalWidth", 120)  # the image was fetched and decoded
    screenshot(bob, "files-pasted-image")
    # The file is served as what it is, never sniffed into something else.
    response = bob.request.get(live.url + image.get_attribute("src"))
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_share_a_pdf_in_the_library_and_download_it(files_live, secrets, new_page, tmp_path):
    live = files_live
    alice = logged_in(new_page, live, secrets["alice"])
    alice.goto(live.url + "/c/jardins/resources")
    alice.get_by_role("link", name="Share a resource").click()
    alice.get_by_label("Title").fill("Guide du four")
    pdf = tmp_path / "guide-du-four.pdf"
    pdf.write_bytes(samples.pdf("Cuisson au bois"))
    alice.get_by_label("File", exact=True).set_input_files(str(pdf))
    alice.get_by_label("Tags").fill("four, pain")
    alice.get_by_role("button", name="Share", exact=True).click()
    alice.wait_for_url("**/resources/*")
    assert alice.locator("h2#resource-title").inner_text() == "Guide du four"
    screenshot(alice, "files-resource")
    with alice.expect_download() as caught:
        alice.get_by_role("link", name="Download guide-du-four.pdf").click()
    download = caught.value
    saved = tmp_path / "downloaded.pdf"
    download.save_as(str(saved))
    assert saved.read_bytes() == pdf.read_bytes()
    alice.goto(live.url + "/c/jardins/resources?q=bois")
    assert alice.get_by_role("link", name="Guide du four").count() == 1

