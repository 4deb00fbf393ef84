import { Link } from "react-router";
import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { components } from "../api/schema";
import { codeLabel } from "../lib/labels";

type ItemHitRead = components["schemas"]["catalog__ItemHitRead"];

/** One catalogue item in a list: name (to its guide), unit and what kind of service it is. */
export function ItemHit({ item }: { item: ItemHitRead }) {
  const { t } = useTranslation();
  return (
    <article className="item-hit">
      <h3 className="item-hit-name">
        <Link to={`/items/${encodeURIComponent(item.code)}`}>{item.name}</Link>
      </h3>
      <p className="item-hit-unit">{item.owner_unit_name}</p>
      <div className="item-hit-tags">
        <Tag>{codeLabel(t, "itemType", item.item_type)}</Tag>
        {item.online_depth ? <Tag color="blue">{codeLabel(t, "onlineDepthShort", item.online_depth)}</Tag> : null}
        {item.visits === 0 ? <Tag color="green">{t("catalog.zeroVisit")}</Tag> : null}
        {item.visits !== null && item.visits !== undefined && item.visits > 0 ? (
          <Tag>{t("catalog.visits", { count: item.visits })}</Tag>
        ) : null}
        {item.community_kind ? <Tag color="purple">{codeLabel(t, "communityKind", item.community_kind)}</Tag> : null}
      </div>
    </article>
  );
}
