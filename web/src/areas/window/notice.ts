import { api } from "../../platform";
import { unwrap } from "../../api/errors";

/** The notice's printable HTML (it needs the bearer token, so a plain link cannot open it). */
async function noticeHtml(applicationId: string, noticeId: string): Promise<string> {
  const html = await unwrap(
    api.GET("/api/intake/v1/applications/{application_id}/notices/{notice_id}", {
      params: { path: { application_id: applicationId, notice_id: noticeId } },
      parseAs: "text",
    }),
  );
  // Its stylesheet links are site-relative; a blob or srcdoc document needs the site as its base.
  return String(html).replace(/<head>/i, `<head><base href="${window.location.origin}/">`);
}

/**
 * Open a notice (一次性告知书, 受理通知书, 不予受理通知书 …) in a new tab: the tab is opened inside the
 * click (pop-up blockers allow it) and filled with the fetched document from a blob URL.
 */
export async function openNotice(applicationId: string, noticeId: string): Promise<void> {
  const tab = window.open("", "_blank");
  try {
    const url = URL.createObjectURL(new Blob([await noticeHtml(applicationId, noticeId)], { type: "text/html;charset=utf-8" }));
    if (tab) tab.location.href = url;
    else window.location.href = url;
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    tab?.close();
    throw e;
  }
}

/** Print a notice at once, from a hidden frame: the clerk hands the paper over the counter. */
export async function printNotice(applicationId: string, noticeId: string): Promise<void> {
  const html = await noticeHtml(applicationId, noticeId);
  const frame = document.createElement("iframe");
  frame.className = "print-frame";
  frame.title = "print";
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.srcdoc = html;
  frame.onload = () => {
    const win = frame.contentWindow;
    if (!win) return;
    // Gone once the print dialog closes; a browser that never says so loses it after a minute.
    const done = () => frame.remove();
    win.addEventListener("afterprint", done, { once: true });
    window.setTimeout(done, 60_000);
    // The notice's web font comes after `load`, glyph ranges as the layout asks for them: lay the
    // page out, wait for those, then print — else the paper shows a fallback face.
    void win.document.body.offsetHeight;
    void win.document.fonts.ready.then(() => {
      win.focus();
      win.print();
    });
  };
  document.body.appendChild(frame);
}
