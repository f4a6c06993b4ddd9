import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdentifierTypes, normalizePhone } from './domain/merge-policy';
import { IdentifierRepository } from './identifier.repository';
import { IdentityErrorCode, IdentityException } from './identity.exception';
import { MergeRepository } from './merge.repository';
import { ProfileRepository } from './profile.repository';

/** How many versions the profile view shows (newest first). */
export const ADMIN_VERSIONS_SHOWN = 50;

/** A profile as the admin API shows it. Contains PII: only for authenticated operators. */
export interface ProfileView {
  profile: {
    id: string;
    version: number;
    email: string | null;
    phone: string | null;
    firstName: string | null;
    lastName: string | null;
    birthday: string | null;
    timezone: string | null;
    emailConsent: string;
    traits: Record<string, unknown>;
    createdAt: string;
    updatedAt: string;
  };
  identifiers: { type: string; value: string; firstSeenAt: string }[];
  versions: {
    version: number;
    causeEventId: string | null;
    createdAt: string;
    snapshot: unknown;
  }[];
  merges: {
    id: string;
    role: 'survivor' | 'merged';
    otherProfileId: string;
    rule: string;
    evidenceEventId: string;
    identifiers: { type: string; value: string }[];
    mergedAt: string;
    status: string;
    revertedAt: string | null;
  }[];
  refusals: {
    id: string;
    profileId: string;
    otherProfileId: string | null;
    rule: string;
    identifiers: { type: string; value: string }[];
    evidenceEventId: string;
    refusedAt: string;
  }[];
}

const KNOWN_TYPES = Object.values(IdentifierTypes) as string[];

/** Read side of the admin API: profiles with their identifiers, history and merge audit. */
@Injectable()
export class ProfileAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identifiers: IdentifierRepository,
    private readonly profiles: ProfileRepository,
    private readonly merges: MergeRepository,
  ) {}

  async byId(profileId: string): Promise<ProfileView> {
    const manager = this.dataSource.manager;
    const profile = await this.profiles.find(manager, profileId);
    if (!profile) {
      const merge = await this.merges.appliedMergeOf(manager, profileId);
      throw new IdentityException(
        IdentityErrorCode.ProfileNotFound,
        merge
          ? `profile ${profileId} was merged into ${merge.survivorProfileId} (merge ${merge.id}); look that profile up, or unmerge`
          : `no profile ${profileId}`,
      );
    }
    const [identifiers, versions, merges, refusals] = await Promise.all([
      this.identifiers.entriesForProfile(manager, profileId),
      this.profiles.versions(manager, profileId, ADMIN_VERSIONS_SHOWN),
      this.merges.listForProfile(manager, profileId),
      this.merges.refusalsForProfile(manager, profileId),
    ]);
    const { fields, traits } = profile.state;
    return {
      profile: {
        id: profile.id,
        version: profile.version,
        ...fields,
        traits,
        createdAt: profile.createdAt.toISOString(),
        updatedAt: profile.updatedAt.toISOString(),
      },
      identifiers: identifiers.map((i) => ({
        type: i.type,
        value: i.value,
        firstSeenAt: i.firstSeenAt.toISOString(),
      })),
      versions: versions.map((v) => ({
        version: v.version,
        causeEventId: v.causeEventId,
        createdAt: v.createdAt.toISOString(),
        snapshot: v.snapshot,
      })),
      merges: merges.map((m) => ({
        id: m.id,
        role: m.survivorProfileId === profileId ? 'survivor' : 'merged',
        otherProfileId: m.survivorProfileId === profileId ? m.mergedProfileId : m.survivorProfileId,
        rule: m.rule,
        evidenceEventId: m.evidenceEventId,
        identifiers: m.identifiers,
        mergedAt: m.mergedAt.toISOString(),
        status: m.status,
        revertedAt: m.revertedAt?.toISOString() ?? null,
      })),
      refusals: refusals.map((r) => ({
        id: r.id,
        profileId: r.profileId,
        otherProfileId: r.otherProfileId,
        rule: r.rule,
        identifiers: r.identifiers,
        evidenceEventId: r.evidenceEventId,
        refusedAt: r.refusedAt.toISOString(),
      })),
    };
  }

  /** The profile an identifier belongs to; the value is normalized as the resolver stores it. */
  async byIdentifier(type: string, rawValue: string): Promise<ProfileView> {
    if (!KNOWN_TYPES.includes(type)) {
      throw new IdentityException(
        IdentityErrorCode.InvalidRequest,
        `identifierType must be one of ${KNOWN_TYPES.join(', ')}`,
      );
    }
    const value =
      type === IdentifierTypes.Email
        ? rawValue.trim().toLowerCase()
        : type === IdentifierTypes.Phone
          ? normalizePhone(rawValue)
          : rawValue;
    const owner = await this.identifiers.ownerOf(this.dataSource.manager, { type, value });
    if (!owner) {
      throw new IdentityException(IdentityErrorCode.ProfileNotFound, `no profile has that ${type}`);
    }
    return this.byId(owner);
  }
}
