import { api } from "../../platform";
import { unwrap } from "../../api/errors";

/**
 * Open a notice or decision (告知书, 受理通知书, 准予/不予决定书) in a new tab for reading and printing.
 * It needs the bearer token, so a plain link cannot open it: fetch it and show it from a blob URL.
 * The tab is opened inside the click (so pop-up blockers allow it) and filled when the text arrives.
 */
export async function openNotice(applicationId: string, noticeId: string): Promise<void> {
  const tab = window.open("", "_blank");
  try {
    const html = await unwrap(
      api.GET("/api/intake/v1/applications/{application_id}/notices/{notice_id}", {
        params: { path: { application_id: applicationId, notice_id: noticeId } },
        parseAs: "text",
      }),
    );
    // Its stylesheet links are site-relative; a blob document needs the site as its base.
    const withBase = String(html).replace(/<head>/i, `<head><base href="${window.location.origin}/">`);
    const url = URL.createObjectURL(new Blob([withBase], { type: "text/html;charset=utf-8" }));
    if (tab) tab.location.href = url;
    else window.location.href = url;
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    tab?.close();
    throw e;
  }
}
