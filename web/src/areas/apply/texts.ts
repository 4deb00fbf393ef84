import { useAreaTexts } from "../../i18n/useAreaTexts";

/**
 * True once the apply area's texts are loaded. The area's own routes load them before rendering
 * (areaPage); the application pages under /my/applications use them too and wait with this.
 */
export function useApplyTexts(): boolean {
  return useAreaTexts("apply");
}
