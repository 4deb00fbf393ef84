import { useState } from "react";
import { Link, useParams } from "react-router";
import { App as AntApp, Breadcrumb, Button, Card, Col, Descriptions, Row, Skeleton, Tag, Typography } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { UnitName } from "../../components/UnitName";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { GenerateSlots } from "./GenerateSlots";
import { HoursView } from "./Hours";
import { PlaceForm } from "./PlaceForm";
import { SlotList, type SlotFilter } from "./SlotList";
import { managesUnit, type Place as PlaceRead } from "./model";
import { KEYS } from "./shared";
import { useSetActive } from "./useSetActive";
import "../../staff/staff.css";
import "./places.css";

const HALL_SETTINGS = ["admin", "supervisor"];

function Place() {
  const { t } = useTranslation("places");
  const { message } = AntApp.useApp();
  const { placeId = "" } = useParams();
  const { claims } = useSession();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [filter, setFilter] = useState<SlotFilter>({});
  const setActive = useSetActive();
  const place = useQuery({
    queryKey: KEYS.place(placeId),
    queryFn: () => unwrap(api.GET("/api/intake/v1/places/{place_id}", { params: { path: { place_id: placeId } } })),
  });
  useDocumentTitle(place.data?.name ?? t("places.title"));
  const p = place.data;
  const manages = p ? managesUnit(claims, p.org_unit_code) : false;
  const saved = async (updated: PlaceRead) => {
    queryClient.setQueryData(KEYS.place(placeId), updated);
    await queryClient.invalidateQueries({ queryKey: KEYS.places });
    setEditing(false);
    void message.success(t("saved"));
  };
  return (
    <div className="staff-page pl-page">
      <Breadcrumb items={[{ title: <Link to="/work/places">{t("places.title")}</Link> }, { title: p?.name ?? placeId }]} className="pl-crumbs" />
      {place.isError ? <ErrorAlert error={place.error} onRetry={() => void place.refetch()} /> : null}
      {place.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {p ? (
        <>
          <Typography.Title level={1} className="staff-title">
            {p.name} <Tag color={p.active ? "success" : "default"}>{t(p.active ? "place.active" : "place.inactive")}</Tag>
          </Typography.Title>
          <div className="staff-toolbar">
            {manages && !editing ? <Button onClick={() => setEditing(true)}>{t("place.edit")}</Button> : null}
            {manages ? (
              <Button danger={p.active} onClick={() => setActive(p)}>
                {t(p.active ? "active.stop" : "active.resume")}
              </Button>
            ) : null}
            {claims?.roles.some((r) => HALL_SETTINGS.includes(r)) ? (
              <Link to={`/work/hall/settings?place=${encodeURIComponent(p.id)}`}>{t("places.hall")}</Link>
            ) : null}
          </div>
          {editing ? (
            <Card size="small" title={<h2 className="pl-card-title">{t("place.editOf", { name: p.name })}</h2>}>
              <PlaceForm key={p.id} place={p} onCancel={() => setEditing(false)} onDone={(u) => void saved(u)} />
            </Card>
          ) : (
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={<h2 className="pl-card-title">{t("place.details")}</h2>}>
                  <Descriptions size="small" column={1} bordered>
                    <Descriptions.Item label={t("place.code")}>{p.code}</Descriptions.Item>
                    <Descriptions.Item label={t("place.unit")}>
                      <UnitName code={p.org_unit_code} />
                    </Descriptions.Item>
                    <Descriptions.Item label={t("place.address")}>{p.address}</Descriptions.Item>
                    <Descriptions.Item label={t("place.phone")}>{p.phone ?? "—"}</Descriptions.Item>
                    <Descriptions.Item label={t("place.slotMinutes")}>{t("minutesCount", { count: p.slot_minutes })}</Descriptions.Item>
                  </Descriptions>
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={<h2 className="pl-card-title">{t("hours.title")}</h2>}>
                  <HoursView hours={p.hours} />
                  <p className="muted pl-gap">{t("hours.calendarNote")}</p>
                </Card>
              </Col>
            </Row>
          )}
          {manages ? (
            <Card size="small" className="pl-gap" title={<h2 className="pl-card-title">{t("generate.title")}</h2>}>
              <GenerateSlots place={p} onGenerated={(item, from, to) => setFilter({ item, from, to })} />
            </Card>
          ) : null}
          <Card size="small" className="pl-gap" title={<h2 className="pl-card-title">{t("slots.title")}</h2>}>
            <SlotList placeId={p.id} filter={filter} onFilter={setFilter} />
          </Card>
        </>
      ) : null}
    </div>
  );
}

/** One service place: its details and hours (edited in a form), stopping bookings, generating slots, its slots. */
export default function PlacePage() {
  return (
    <AntApp component={false}>
      <Place />
    </AntApp>
  );
}
