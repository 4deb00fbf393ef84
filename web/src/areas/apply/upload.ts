import type { components } from "../../api/schema";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import type { UploadType } from "./files";

export type StoredFile = components["schemas"]["intake__FileRead"];

/** Send a checked material file to intake (`POST /api/intake/v1/files`, multipart) under its type. */
export function uploadMaterial(file: File, type: UploadType): Promise<StoredFile> {
  // Browsers give .ofd files no type: send the one the check settled on, which intake checks again.
  const typed = file.type === type ? file : new File([file], file.name, { type });
  return unwrap(
    api.POST("/api/intake/v1/files", {
      // The generated type names the part as a string; the body actually sent is the multipart form.
      body: { file: typed.name },
      bodySerializer: () => {
        const form = new FormData();
        form.append("file", typed, typed.name);
        return form;
      },
    }),
  );
}
