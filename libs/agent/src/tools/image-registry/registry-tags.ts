// registry_tags: for an image whose pull fails, the tags its registry really lists (read-only,
// distribution.ts) set against the tags of the same repository the cluster ran, and the one tag
// that evidence supports, or "no safe fix" (nearest-tag.ts). The proposal is left to the
// remediator: this tool only says which tag, if any, is safe to name.
import { closestImages, lookup, parseImage } from '@foxhound/diagnostics';
import { z } from 'zod';
import { defineTool, failed, noData, ok } from '../define';
import { nameParam, namespaceParam } from '../kubernetes/params';
import { type DistributionOptions, listTags, type TagListing } from './distribution';
import { nearestTag, type TagDecision, type TagSeen } from './nearest-tag';

export interface RegistryTagsData {
  listing: TagListing;
  decision?: TagDecision;
}

export const registryTags = (options: DistributionOptions) =>
  defineTool({
    name: 'registry_tags',
    description:
      "List the tags an image's registry really has (read-only, OCI distribution API) and say which existing tag, if any, is safe to use instead of a missing one: the same version spelled differently, or a tag the cluster ran before. Use after image_check reports a tag not found.",
    params: z.object({
      namespace: namespaceParam,
      image: z.string().min(1).max(512).describe('The failing image reference, as image_check prints it.'),
      name: nameParam
        .optional()
        .describe("The Deployment whose previous revisions' images count as ran before."),
    }),
    summary: (p) => `Listing the registry's tags of ${p.image}`,
    run: async (p, ctx) => {
      const ref = parseImage(p.image);
      if (!ref?.tag || ref.digest) return failed(`${p.image} names no tag to look up (a digest or no tag).`);
      const listing = await listTags(p.image, options);
      if (!listing.ok)
        return noData<RegistryTagsData>(
          `Could not list the tags of ${ref.registry}/${ref.repository}: ${listing.message}`,
          `Registry tags of ${p.image}: ${listing.reason}`,
          { listing },
        );
      const l = lookup(await ctx.cluster.snapshot([p.namespace]));
      const previous = p.name
        ? l
            .replicaSetsOf(p.namespace, p.name)
            .slice(1)
            .map((rs) => ({
              template: rs.spec.template,
              seenIn: `ReplicaSet ${rs.metadata.name} (revision ${l.revisionOf(rs)})`,
            }))
        : [];
      const ranBefore: TagSeen[] = closestImages(l, p.image, previous).flatMap((c) => {
        const tag = parseImage(c.image)?.tag;
        return tag ? [{ tag, seenIn: c.seenIn }] : [];
      });
      const decision = nearestTag({ requested: ref.tag, registryTags: listing.tags, ranBefore });
      const verdict =
        decision.kind === 'propose'
          ? `Safe to use: ${ref.registry === 'docker.io' ? '' : `${ref.registry}/`}${ref.repository}:${decision.tag}`
          : decision.kind === 'exists'
            ? `The tag ${ref.tag} exists.`
            : decision.reason;
      return ok<RegistryTagsData>(
        [
          `${ref.registry}/${ref.repository}: ${listing.tags.length} tag(s)${listing.truncated ? ' (listing cut at its bound)' : ''}.`,
          verdict,
          ...decision.evidence.map((e) => `  ${e}`),
        ].join('\n'),
        `Registry tags of ${p.image}: ${decision.kind === 'propose' ? `use ${decision.tag}` : decision.kind}`,
        { listing, decision },
      );
    },
  });
