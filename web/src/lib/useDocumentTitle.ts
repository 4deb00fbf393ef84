import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** "<page> - 一网通办" as the tab title (and what screen readers announce on navigation). */
export function useDocumentTitle(title: string | undefined): void {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? `${title} - ${t("brand.name")}` : t("brand.name");
  }, [title, t]);
}
