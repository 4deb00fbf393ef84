import { App as AntApp } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { useErrorText } from "../../components/ErrorAlert";
import type { Place } from "./model";
import { KEYS } from "./shared";

/** Stop or resume a place's bookings (暂停预约 / 恢复预约), after a confirmation. */
export function useSetActive(): (place: Place) => void {
  const { t } = useTranslation("places");
  const { modal, message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  return (place) => {
    const active = !place.active;
    modal.confirm({
      title: t(active ? "active.resumeTitle" : "active.stopTitle", { name: place.name }),
      content: t(active ? "active.resumeText" : "active.stopText"),
      okText: t(active ? "active.resume" : "active.stop"),
      okButtonProps: { danger: !active },
      cancelText: t("cancel"),
      onOk: async () => {
        try {
          await unwrap(api.PATCH("/api/intake/v1/places/{place_id}", { params: { path: { place_id: place.id } }, body: { active } }));
          await Promise.all([
            queryClient.invalidateQueries({ queryKey: KEYS.places }),
            queryClient.invalidateQueries({ queryKey: KEYS.place(place.id) }),
          ]);
          void message.success(t(active ? "active.resumed" : "active.stopped", { name: place.name }));
        } catch (error) {
          modal.error({ title: t("failed"), content: errorText(error) });
        }
      },
    });
  };
}
